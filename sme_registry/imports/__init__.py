"""Bulk import of existing SME data from CSV and XLSX files (see `batches` for the phases)."""
