"""`myodeck class --phones`: students answer on their phones through a web server on the laptop."""
