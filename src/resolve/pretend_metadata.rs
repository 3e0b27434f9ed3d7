//! `SETUPTOOLS_SCM_PRETEND_METADATA[_FOR_<DIST>]` (and the `PACKKIT_` spelling): facts that
//! replace what git said, read as setuptools_scm reads them (TOML, an inline table or a
//! document) and applied as it applies them (`_apply_metadata_overrides`: field by field,
//! after the version was found, before it is formatted).
//!
//! Where setuptools_scm only logs a problem and carries on (a value that is not TOML, an
//! unknown field), packkit refuses with an error naming the variable: a build with a typo in
//! its pretend metadata would otherwise publish the version it meant to replace.

use jiff::Timestamp;
use jiff::civil::Date;

use super::env_toml::EnvToml;
use crate::error::Error;
use crate::pyproject::Reader;

/// The fields setuptools_scm's `PretendMetadataDict` allows.
const FIELDS: &[&str] = &[
    "tag",
    "distance",
    "node",
    "dirty",
    "preformatted",
    "branch",
    "node_date",
    "time",
];

const HINT: &str = "write a TOML inline table such as '{distance = 4, node = \"g1337beef\", dirty = false}'; the fields are tag, distance, node, dirty, preformatted, branch, node_date, time";

/// The facts to pretend; a field left out keeps what git said.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PretendMetadata {
    /// The version to use verbatim (setuptools_scm takes it only with `preformatted = true`).
    pub tag: Option<String>,
    pub distance: Option<u64>,
    pub node: Option<String>,
    pub dirty: Option<bool>,
    pub preformatted: Option<bool>,
    pub branch: Option<String>,
    pub node_date: Option<Date>,
    /// The build time of the `d…` local parts: the wall-clock time as written, as
    /// setuptools_scm formats it (its offset does not move the date).
    pub time: Option<Timestamp>,
}

impl PretendMetadata {
    /// The metadata in `value`, the text of `variable`; `None` when it is empty.
    pub fn parse(variable: &str, value: &str) -> Result<Option<Self>, Error> {
        let Some(env) = EnvToml::parse(variable, value, HINT).map_err(Error::Config)? else {
            return Ok(None);
        };
        let mut r = Reader::new(&env.document);
        let mut metadata = PretendMetadata::default();
        if let Some(table) = env.table(&mut r) {
            r.check_keys(table, "", FIELDS);
            for (key, item) in table.iter() {
                let span = item.span();
                let wrong = |r: &mut Reader, expected: &str| {
                    r.wrong_type(
                        span.clone(),
                        key,
                        expected,
                        item.type_name(),
                        Some(HINT.into()),
                    );
                };
                match key {
                    "tag" | "node" | "branch" => match item.as_str() {
                        Some(text) => {
                            let text = Some(text.to_owned());
                            match key {
                                "tag" => metadata.tag = text,
                                "node" => metadata.node = text,
                                _ => metadata.branch = text,
                            }
                        }
                        None => wrong(&mut r, "a string"),
                    },
                    "distance" => match item.as_integer().map(u64::try_from) {
                        Some(Ok(distance)) => metadata.distance = Some(distance),
                        Some(Err(_)) => r.error(
                            span,
                            key,
                            "a distance cannot be negative",
                            Some("give the number of commits since the tag, 0 or more".into()),
                        ),
                        None => wrong(&mut r, "an integer"),
                    },
                    "dirty" | "preformatted" => match item.as_bool() {
                        Some(flag) if key == "dirty" => metadata.dirty = Some(flag),
                        Some(flag) => metadata.preformatted = Some(flag),
                        None => wrong(&mut r, "true or false"),
                    },
                    "node_date" => match item.as_datetime().and_then(local_date) {
                        Some(date) => metadata.node_date = Some(date),
                        None => wrong(&mut r, "a date such as 2024-06-15"),
                    },
                    "time" => match item.as_datetime().and_then(wall_clock) {
                        Some(time) => metadata.time = Some(time),
                        None => wrong(&mut r, "a date and time such as 2024-06-15T12:00:00Z"),
                    },
                    _ => {} // reported by check_keys
                }
            }
            if let (Some(tag), false) = (&metadata.tag, metadata.preformatted == Some(true)) {
                let span = table.get("tag").and_then(toml_edit::Item::span);
                r.error(
                    span,
                    "tag",
                    format!(
                        "the tag {tag:?} is used only with `preformatted = true` (setuptools_scm \
                         fails on a tag it would have to parse)"
                    ),
                    Some(
                        "add `preformatted = true` to use it as the version, or set \
                         PACKKIT_PRETEND_VERSION instead"
                            .into(),
                    ),
                );
            }
        }
        if r.problems.is_empty() {
            Ok(Some(metadata))
        } else {
            let mut problems = r.problems;
            for problem in &mut problems {
                env.locate(problem);
            }
            Err(Error::Config(problems))
        }
    }
}

/// A TOML local date (no time): a datetime is refused, as setuptools_scm's calendar
/// comparison would treat it as another day.
fn local_date(value: &toml_edit::Datetime) -> Option<Date> {
    match (value.date, value.time) {
        (Some(date), None) => Date::new(
            i16::try_from(date.year).ok()?,
            i8::try_from(date.month).ok()?,
            i8::try_from(date.day).ok()?,
        )
        .ok(),
        _ => None,
    }
}

/// A TOML date and time, its wall-clock fields read as UTC.
fn wall_clock(value: &toml_edit::Datetime) -> Option<Timestamp> {
    let (date, time) = (value.date?, value.time?);
    let civil = jiff::civil::DateTime::new(
        i16::try_from(date.year).ok()?,
        i8::try_from(date.month).ok()?,
        i8::try_from(date.day).ok()?,
        i8::try_from(time.hour).ok()?,
        i8::try_from(time.minute).ok()?,
        i8::try_from(time.second.unwrap_or(0)).ok()?,
        i32::try_from(time.nanosecond.unwrap_or(0)).ok()?,
    )
    .ok()?;
    civil
        .to_zoned(jiff::tz::TimeZone::UTC)
        .ok()
        .map(|z| z.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    const VAR: &str = "SETUPTOOLS_SCM_PRETEND_METADATA";

    fn parse(value: &str) -> Result<Option<PretendMetadata>, Error> {
        PretendMetadata::parse(VAR, value)
    }

    #[test]
    fn reads_every_field_as_setuptools_scm_types_them() {
        let metadata = parse(
            "{tag = \"2.0\", preformatted = true, distance = 4, node = \"g1337beef\", \
             dirty = false, branch = \"main\", node_date = 2024-01-05, \
             time = 2024-06-15T23:30:00-05:00}",
        )
        .unwrap()
        .unwrap();
        assert_eq!(metadata.distance, Some(4));
        assert_eq!(metadata.node.as_deref(), Some("g1337beef"));
        assert_eq!(metadata.node_date, Some(Date::new(2024, 1, 5).unwrap()));
        // The wall clock as written: the offset does not move the day.
        assert_eq!(metadata.time.unwrap().to_string(), "2024-06-15T23:30:00Z");
        let document = parse("distance = 1\ndirty = true\n").unwrap().unwrap();
        assert_eq!((document.distance, document.dirty), (Some(1), Some(true)));
        assert_eq!(parse("").unwrap(), None);
        assert_eq!(parse("{}").unwrap(), Some(PretendMetadata::default()));
    }

    #[test]
    fn refuses_garbage_naming_the_variable_line_and_column() {
        let err = |value: &str| parse(value).unwrap_err().to_string();
        assert!(
            err("{distance = }").starts_with(&format!("{VAR}:1:13: invalid TOML")),
            "{}",
            err("{distance = }")
        );
        assert!(
            err("garbage{").starts_with(&format!("{VAR}:1:")),
            "{}",
            err("garbage{")
        );
        assert!(
            err("{distance = \"3\"}").starts_with(&format!(
                "{VAR}:1:13: `distance`: expected an integer, found a string"
            )),
            "{}",
            err("{distance = \"3\"}")
        );
        assert!(err("{distance = -1}").contains("`distance`: a distance cannot be negative"));
        assert!(err("{dirty = 1}").contains("`dirty`: expected true or false"));
        assert!(err("{branch = 1}").contains("`branch`: expected a string"));
        assert!(err("{node_date = 2024-01-05T00:00:00Z}").contains("`node_date`: expected a date"));
        assert!(err("{time = 2024-01-05}").contains("`time`: expected a date and time"));
        assert!(
            err("{distanse = 1}")
                .contains("`distanse`: unknown key `distanse`\nhint: did you mean `distance`?")
        );
        assert!(
            err("{tag = \"2.0\"}")
                .contains("`tag`: the tag \"2.0\" is used only with `preformatted = true`")
        );
        assert!(err("{node = \"a\"}\n{").starts_with(&format!("{VAR}:")));
    }
}
