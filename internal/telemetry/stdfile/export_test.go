package stdfile

// SetAfterScan lets a test act between two scans of the landing folder
// (write the rest of a file, count scans). Set it before Watch starts.
func SetAfterScan(d *Door, f func(n int)) { d.afterScan = f }
