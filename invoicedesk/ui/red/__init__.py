"""The red-letter (红字) wizard and the 红字发票 page."""
