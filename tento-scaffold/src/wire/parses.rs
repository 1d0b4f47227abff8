//! The host files' parses made so far in a command. A step reading a file another step
//! read, unchanged since, gets the same parse: a host's files grow with every provider,
//! and parsing them is most of a command's time.

use std::cell::RefCell;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use crate::host::SourceFile;
use crate::patch::rust::{self, RustError};

/// An outline parse and the ranges of test code in it (see
/// [`rust::parse_outline_skipping_tests`]).
pub(crate) type Outline = (rust::Parsed, Vec<Range<usize>>);

/// Parses by file, anchor and text, one kind of parse each.
#[derive(Default)]
pub(crate) struct Parses {
    tails: RefCell<Vec<Entry<rust::Parsed>>>,
    outlines: RefCell<Vec<Entry<Outline>>>,
}

/// A parse of `path` holding `text`, made for `anchor`.
struct Entry<T> {
    path: PathBuf,
    anchor: String,
    text: String,
    parsed: Rc<T>,
}

impl Parses {
    /// [`rust::parse_tail`] of `file` holding `src`.
    pub(crate) fn tail(
        &self,
        file: &SourceFile,
        src: &str,
        anchor: &str,
    ) -> Result<Rc<rust::Parsed>, RustError> {
        cached(&self.tails, &file.path, src, anchor, || {
            rust::parse_tail(&file.display, src, anchor)
        })
    }

    /// [`rust::parse_outline_skipping_tests`] of `file` holding `src`.
    pub(crate) fn outline(
        &self,
        file: &SourceFile,
        src: &str,
        anchor: &str,
    ) -> Result<Rc<Outline>, RustError> {
        cached(&self.outlines, &file.path, src, anchor, || {
            rust::parse_outline_skipping_tests(&file.display, src, anchor)
        })
    }
}

fn cached<T>(
    entries: &RefCell<Vec<Entry<T>>>,
    path: &Path,
    src: &str,
    anchor: &str,
    parse: impl FnOnce() -> Result<T, RustError>,
) -> Result<Rc<T>, RustError> {
    let same = |e: &Entry<T>| e.path == path && e.anchor == anchor;
    if let Some(entry) = entries.borrow().iter().find(|e| same(e) && e.text == src) {
        return Ok(entry.parsed.clone());
    }
    let parsed = Rc::new(parse()?);
    let mut entries = entries.borrow_mut();
    // A step changed the file: its older text will not be read again.
    entries.retain(|e| !same(e));
    entries.push(Entry {
        path: path.to_owned(),
        anchor: anchor.to_owned(),
        text: src.to_owned(),
        parsed: parsed.clone(),
    });
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_parsed_again_only_when_its_text_changed() {
        let file = SourceFile {
            path: PathBuf::from("/h/src/lib.rs"),
            display: "src/lib.rs".into(),
            src: String::new(),
        };
        let parses = Parses::default();
        let src = "fn a(o: &mut Orchestrator) {}\n";
        let first = parses.outline(&file, src, "&mut Orchestrator").unwrap();
        // The same text in another allocation.
        let copy: String = src.chars().collect();
        let again = parses.outline(&file, &copy, "&mut Orchestrator").unwrap();
        assert!(Rc::ptr_eq(&first, &again));
        let other_anchor = parses.outline(&file, src, "Orchestrator").unwrap();
        assert!(!Rc::ptr_eq(&first, &other_anchor));
        let changed = "fn a(o: &mut Orchestrator) { x(); }\n";
        let after = parses.outline(&file, changed, "&mut Orchestrator").unwrap();
        assert!(!Rc::ptr_eq(&first, &after));
        assert_eq!(parses.outlines.borrow().len(), 2, "one entry per file and anchor");
        let tail = parses.tail(&file, src, "fn a").unwrap();
        assert!(Rc::ptr_eq(&tail, &parses.tail(&file, src, "fn a").unwrap()));
        assert!(parses.tail(&file, "fn (", "fn").is_err());
    }
}
