from ofsted_csc.cli.app import main

main()
