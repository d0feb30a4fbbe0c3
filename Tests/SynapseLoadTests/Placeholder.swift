// Placeholder so the target builds before its first file lands; delete it when adding one.
