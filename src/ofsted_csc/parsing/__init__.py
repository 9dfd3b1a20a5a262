"""PDF bytes in, domain records out. No database, no network."""
