//! From a JSON pointer back to a line and column of the spec's text, so errors point
//! where the user can look. Only run when reporting an error.

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::error::Location;

/// Where the node at `pointer` (`#/paths/~1pets/get`) starts in `text` (YAML or JSON).
pub(crate) fn position(text: &str, pointer: &str) -> Option<Location> {
    let target: Vec<String> = pointer
        .trim_start_matches('#')
        .split('/')
        .filter(|t| !t.is_empty())
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect();
    let mut finder = Finder {
        target,
        path: Vec::new(),
        stack: Vec::new(),
        found: None,
    };
    let mut parser = Parser::new_from_str(text);
    // A parse error after the node was found does not matter; before, nothing is found.
    let _ = parser.load(&mut finder, false);
    finder.found.map(|m| Location {
        line: m.line(),
        column: m.col() + 1,
    })
}

enum Frame {
    Map { key: Option<String> },
    Seq { index: usize },
}

struct Finder {
    target: Vec<String>,
    path: Vec<String>,
    stack: Vec<Frame>,
    found: Option<Marker>,
}

impl Finder {
    fn check(&mut self, mark: Marker) {
        if self.found.is_none() && self.path == self.target {
            self.found = Some(mark);
        }
    }

    fn value_start(&mut self, mark: Marker) {
        match self.stack.last() {
            Some(Frame::Seq { index }) => {
                self.path.push(index.to_string());
                self.check(mark);
            }
            None => self.check(mark),
            Some(Frame::Map { .. }) => {}
        }
    }

    fn value_end(&mut self) {
        match self.stack.last_mut() {
            Some(Frame::Seq { index }) => {
                *index += 1;
                self.path.pop();
            }
            Some(Frame::Map { key }) => {
                *key = None;
                self.path.pop();
            }
            None => {}
        }
    }
}

impl MarkedEventReceiver for Finder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        if self.found.is_some() {
            return;
        }
        match event {
            Event::Scalar(value, ..) => {
                if let Some(Frame::Map { key: key @ None }) = self.stack.last_mut() {
                    *key = Some(value.clone());
                    self.path.push(value);
                    self.check(mark);
                    return;
                }
                self.value_start(mark);
                self.value_end();
            }
            Event::Alias(_) => {
                self.value_start(mark);
                self.value_end();
            }
            Event::MappingStart(..) => {
                self.value_start(mark);
                self.stack.push(Frame::Map { key: None });
            }
            Event::SequenceStart(..) => {
                self.value_start(mark);
                self.stack.push(Frame::Seq { index: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
                self.value_end();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_keys_and_items_in_yaml_and_json() {
        let yaml = "openapi: 3.0.3\npaths:\n  /pets:\n    get:\n      parameters:\n        - name: a\n        - name: b\n";
        assert_eq!(
            position(yaml, "#/paths/~1pets/get"),
            Some(Location { line: 4, column: 5 })
        );
        assert_eq!(
            position(yaml, "#/paths/~1pets/get/parameters/1").map(|l| l.line),
            Some(7)
        );
        let json = "{\n  \"paths\": {\n    \"/a\": {\"get\": {}}\n  }\n}";
        assert_eq!(
            position(json, "#/paths/~1a/get"),
            Some(Location {
                line: 3,
                column: 12
            })
        );
        assert_eq!(position(yaml, "#/nowhere"), None);
    }
}
