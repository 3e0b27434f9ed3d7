//! PEP 621 `[project]` → validated project metadata → core metadata (METADATA, PKG-INFO).
