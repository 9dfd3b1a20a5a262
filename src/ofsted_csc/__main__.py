from ofsted_csc.cli import main

main()
