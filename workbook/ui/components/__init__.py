"""Parts shared by several tabs: revision lists and tables."""
