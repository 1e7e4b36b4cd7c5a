//! docs/scenario.md lists every field from the field table: a field added to the table and
//! not to the docs (or a rule changed in one place only) fails here.
//! `LADDERWISE_BLESS_DOCS=1 cargo test -p ladderwise-model --test docs` rewrites the tables.

use ladderwise_model::scenario::fields::{self, FIELDS};

const DOCS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/scenario.md");

#[test]
fn the_field_tables_of_the_docs_are_the_field_table() {
    let docs = std::fs::read_to_string(DOCS).expect("docs/scenario.md");
    let fresh = fields::regenerate_docs(&docs);
    if std::env::var_os("LADDERWISE_BLESS_DOCS").is_some() {
        std::fs::write(DOCS, &fresh).expect("write docs/scenario.md");
        return;
    }
    assert!(
        docs == fresh,
        "docs/scenario.md's field tables differ from the field table; run with LADDERWISE_BLESS_DOCS=1 to regenerate them"
    );
    // Every section of the table has its block in the docs.
    for section in fields::SECTIONS {
        assert!(
            docs.contains(&format!("<!-- fields: {} -->", section.name)),
            "docs/scenario.md has no table for [{}]",
            section.name
        );
    }
    // And every field appears in one.
    for f in FIELDS.iter().filter(|f| !f.key().contains('<')) {
        assert!(
            docs.contains(&format!("| `{}` |", f.key())),
            "{} is not in docs/scenario.md",
            f.path
        );
    }
}

#[test]
fn every_path_of_the_table_parses_back_to_its_field() {
    use ladderwise_model::scenario::path::FieldPath;
    for f in FIELDS {
        let written = f
            .path
            .replacen("[N]", "[1]", 1)
            .replacen("<geography>", "us", 1)
            .replacen("<driver>", "audience.geo.india", 1);
        let parsed = FieldPath::parse(&written).unwrap_or_else(|e| panic!("{written}: {e}"));
        assert_eq!(parsed.field.path, f.path);
        assert_eq!(parsed.to_string(), written);
    }
}
