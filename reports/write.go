package reports

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Report file names inside the output directory.
const (
	ResultsFile = "results.json"
	JUnitFile   = "junit.xml"
	HTMLFile    = "report.html"
	SARIFFile   = "results.sarif"
)

// WriteAll creates dir and writes results.json, junit.xml, report.html and
// results.sarif into it. Each file is written to a temporary file and renamed into place,
// so an interrupted run leaves either the previous file or the new one,
// never half a file. It returns the paths written, also those written before
// an error.
func WriteAll(dir string, r *Results) (paths []string, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("reports: creating report directory: %w", err)
	}
	files := []struct {
		name  string
		write func(io.Writer, *Results) error
	}{
		{ResultsFile, WriteJSON},
		{JUnitFile, WriteJUnit},
		{HTMLFile, WriteHTML},
		{SARIFFile, WriteSARIF},
	}
	for _, f := range files {
		path := filepath.Join(dir, f.name)
		if err := writeAtomically(path, func(w io.Writer) error { return f.write(w, r) }); err != nil {
			return paths, err
		}
		paths = append(paths, path)
	}
	return paths, nil
}

func writeAtomically(path string, write func(io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("reports: writing %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	buffered := bufio.NewWriter(tmp)
	if err := write(buffered); err != nil {
		return err
	}
	if err := buffered.Flush(); err != nil {
		return fmt.Errorf("reports: writing %s: %w", path, err)
	}
	// Sync before rename, or a crash can leave the new name on empty data.
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("reports: writing %s: %w", path, err)
	}
	// CreateTemp makes the file private; reports are meant to be shared.
	if err := tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("reports: writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("reports: writing %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("reports: writing %s: %w", path, err)
	}
	return nil
}
