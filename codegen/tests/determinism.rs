//! The same spec must give byte-identical files on every run (parsing included), so
//! regenerating never produces a spurious diff.

mod common;

#[test]
fn generation_is_deterministic() {
    for (name, text) in common::fixtures() {
        let settings = common::snapshot_settings(&name);
        let first = common::generate(&name, &text, &settings);
        let second = common::generate(&name, &text, &settings);
        assert_eq!(first.len(), second.len(), "{name}: different file lists");
        for (a, b) in first.iter().zip(&second) {
            assert_eq!(a.path, b.path, "{name}: different file order");
            assert!(
                a.contents == b.contents,
                "{name}: {} differs between two runs",
                a.path
            );
        }
    }
}

#[test]
fn json_and_yaml_forms_of_a_spec_give_the_same_code() {
    for (name, text) in common::fixtures() {
        let json = codegen::Spec::parse(&text, "fixture.yaml")
            .expect("fixture parses")
            .document_json();
        let settings = common::snapshot_settings(&name);
        let from_yaml = common::generate(&name, &text, &settings);
        let from_json = common::generate(&name, &json, &settings);
        for (a, b) in from_yaml.iter().zip(&from_json) {
            // Only the fingerprint of the text may differ.
            let strip = |s: &str| {
                s.lines()
                    .filter(|l| !l.contains("SPEC_FINGERPRINT") && !l.contains("fingerprint"))
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            assert!(
                strip(&a.contents) == strip(&b.contents),
                "{name}: {} differs between YAML and JSON",
                a.path
            );
        }
    }
}
