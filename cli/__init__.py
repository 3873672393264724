"""The `satgas` command line: the operators' entry point."""
