package catalog

// ValidateEntries exposes validation of a given list to the tests.
var ValidateEntries = validate
