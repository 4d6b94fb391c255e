"""The application: command line, pytest plugin, runners, the audit of a submission."""
