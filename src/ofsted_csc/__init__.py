"""ofsted-csc: read, benchmark and act on Ofsted inspections of children's services."""

__version__ = "0.1.0"
