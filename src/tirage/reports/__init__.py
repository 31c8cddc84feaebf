"""The council's annual activity report: figures from the data, a text by the coordinator, PDF and CSV."""
