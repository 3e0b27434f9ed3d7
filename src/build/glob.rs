//! gitignore-style globs for `[tool.packkit] include` / `exclude`.

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};

/// A set of gitignore-style patterns, matched against `/`-separated paths relative to the
/// project: a pattern without `/` matches at any depth, a leading `/` anchors it to the
/// project, a trailing `/` means a directory and everything in it.
#[derive(Debug, Clone, Default)]
pub struct Patterns {
    patterns: Vec<String>,
    set: GlobSet,
}

impl Patterns {
    pub fn new(patterns: &[String]) -> Result<Self, (usize, String)> {
        let mut builder = GlobSetBuilder::new();
        for (index, pattern) in patterns.iter().enumerate() {
            for glob in translate(pattern) {
                let glob: Glob = GlobBuilder::new(&glob)
                    .literal_separator(true)
                    .build()
                    .map_err(|err| (index, err.kind().to_string()))?;
                builder.add(glob);
            }
        }
        let set = builder.build().map_err(|err| (0, err.to_string()))?;
        Ok(Patterns {
            patterns: patterns.to_vec(),
            set,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// The first pattern (as written) that matches `path`.
    pub fn matching(&self, path: &str) -> Option<&str> {
        let matches = self.set.matches(path);
        // Each pattern adds two globs (itself and "everything under it").
        matches.first().map(|glob| self.patterns[glob / 2].as_str())
    }
}

/// A gitignore pattern as two globs: the path itself, and anything below it.
fn translate(pattern: &str) -> [String; 2] {
    let trimmed = pattern.trim_end_matches('/');
    let anchored = trimmed.starts_with('/') || trimmed.contains('/');
    let body = trimmed.trim_start_matches('/');
    let base = if anchored {
        body.to_owned()
    } else {
        format!("**/{body}")
    };
    [base.clone(), format!("{base}/**")]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, path: &str) -> bool {
        Patterns::new(&[pattern.to_owned()])
            .unwrap()
            .matching(path)
            .is_some()
    }

    #[test]
    fn gitignore_semantics() {
        assert!(matches("*.log", "a/b/c.log"));
        assert!(matches("*.log", "c.log"));
        assert!(!matches("/*.log", "a/c.log"));
        assert!(matches("docs/", "docs/index.rst"));
        assert!(matches("tests", "tests/test_a.py"));
        assert!(matches("src/pkg/*.csv", "src/pkg/data.csv"));
        assert!(!matches("src/pkg/*.csv", "src/pkg/sub/data.csv"));
        assert!(matches("src/**/*.csv", "src/pkg/sub/data.csv"));
    }
}
