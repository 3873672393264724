"""What people type into forms, checked field by field, with messages in Bahasa Indonesia."""
