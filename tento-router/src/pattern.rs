//! Lookup-key patterns: `:~myprovider:{authId}:activities`, a `:`-separated list of
//! literal segments and `{name}` placeholders.

use std::fmt;

/// Most placeholders one route may have, so matching never allocates (tento's
/// `MAX_ROUTE_PARAMS`).
pub const MAX_PARAMS: usize = 8;

/// One `:`-separated segment of a pattern.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    /// A segment the key must spell exactly (`activities`).
    Literal(String),
    /// `{name}`: any non-empty segment, captured under `name`.
    Param(String),
}

impl Segment {
    /// Whether this is a placeholder.
    pub fn is_param(&self) -> bool {
        matches!(self, Segment::Param(_))
    }
}

impl fmt::Display for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Segment::Literal(s) => f.write_str(s),
            Segment::Param(name) => write!(f, "{{{name}}}"),
        }
    }
}

/// Why a piece of pattern text is not a pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PatternError {
    /// The text does not start with `:`.
    MissingColon,
    /// The segment at `index` (0-based, after the leading `:`) is empty: `::` or a
    /// trailing `:`.
    EmptySegment {
        /// Its index.
        index: usize,
    },
    /// A segment opens `{` without closing it at its end (`{authId`, `{a}b`).
    UnclosedPlaceholder {
        /// The segment.
        segment: String,
    },
    /// `{…}` whose name is not an identifier (`{}`, `{auth-id}`).
    BadPlaceholderName {
        /// The segment.
        segment: String,
    },
    /// A literal segment containing `{` or `}` elsewhere than as a whole placeholder.
    StrayBrace {
        /// The segment.
        segment: String,
    },
    /// A literal segment containing whitespace or a control character.
    BadLiteral {
        /// The segment.
        segment: String,
    },
    /// The same placeholder name twice in one route.
    DuplicatePlaceholder {
        /// The name.
        name: String,
    },
    /// More than [`MAX_PARAMS`] placeholders in one route.
    TooManyPlaceholders {
        /// How many it has.
        count: usize,
    },
    /// No segment at all.
    Empty,
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PatternError::MissingColon => f.write_str("a pattern starts with `:`"),
            PatternError::EmptySegment { index } => write!(f, "segment {index} is empty"),
            PatternError::UnclosedPlaceholder { segment } => {
                write!(f, "`{segment}` opens a placeholder it does not close")
            }
            PatternError::BadPlaceholderName { segment } => {
                write!(
                    f,
                    "`{segment}` is not a placeholder: its name is not an identifier"
                )
            }
            PatternError::StrayBrace { segment } => write!(f, "`{segment}` has a stray brace"),
            PatternError::BadLiteral { segment } => {
                write!(f, "`{segment}` contains whitespace or a control character")
            }
            PatternError::DuplicatePlaceholder { name } => {
                write!(f, "placeholder `{{{name}}}` appears twice")
            }
            PatternError::TooManyPlaceholders { count } => {
                write!(f, "{count} placeholders, at most {MAX_PARAMS}")
            }
            PatternError::Empty => f.write_str("a pattern has at least one segment"),
        }
    }
}

impl std::error::Error for PatternError {}

/// Parses `:a:{b}` (one or more segments, each preceded by `:`) into segments.
pub fn parse_segments(text: &str) -> Result<Vec<Segment>, PatternError> {
    let rest = text.strip_prefix(':').ok_or(PatternError::MissingColon)?;
    rest.split(':')
        .enumerate()
        .map(|(index, seg)| parse_segment(index, seg))
        .collect()
}

fn parse_segment(index: usize, seg: &str) -> Result<Segment, PatternError> {
    if seg.is_empty() {
        return Err(PatternError::EmptySegment { index });
    }
    if let Some(inner) = seg.strip_prefix('{') {
        let Some(name) = inner.strip_suffix('}') else {
            return Err(PatternError::UnclosedPlaceholder {
                segment: seg.to_owned(),
            });
        };
        if !is_identifier(name) {
            let err = if name.contains(['{', '}']) {
                PatternError::UnclosedPlaceholder {
                    segment: seg.to_owned(),
                }
            } else {
                PatternError::BadPlaceholderName {
                    segment: seg.to_owned(),
                }
            };
            return Err(err);
        }
        return Ok(Segment::Param(name.to_owned()));
    }
    if seg.contains(['{', '}']) {
        return Err(PatternError::StrayBrace {
            segment: seg.to_owned(),
        });
    }
    if seg.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(PatternError::BadLiteral {
            segment: seg.to_owned(),
        });
    }
    Ok(Segment::Literal(seg.to_owned()))
}

/// `[A-Za-z_][A-Za-z0-9_]*`.
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A whole route's pattern: at least one segment, at most [`MAX_PARAMS`] placeholders,
/// each name once.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Pattern {
    segments: Vec<Segment>,
}

impl Pattern {
    /// Parses a whole pattern, `:~myprovider:{authId}:activities`.
    pub fn parse(text: &str) -> Result<Self, PatternError> {
        Self::from_segments(parse_segments(text)?)
    }

    /// Checks a route's segments.
    pub fn from_segments(segments: Vec<Segment>) -> Result<Self, PatternError> {
        if segments.is_empty() {
            return Err(PatternError::Empty);
        }
        let names: Vec<&str> = segments
            .iter()
            .filter_map(|s| match s {
                Segment::Param(name) => Some(name.as_str()),
                Segment::Literal(_) => None,
            })
            .collect();
        for (i, name) in names.iter().enumerate() {
            if names[..i].contains(name) {
                return Err(PatternError::DuplicatePlaceholder {
                    name: (*name).to_owned(),
                });
            }
        }
        if names.len() > MAX_PARAMS {
            return Err(PatternError::TooManyPlaceholders { count: names.len() });
        }
        Ok(Pattern { segments })
    }

    /// The segments after the leading `:`.
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// Whether `self` and `other` have the same shape: the same literals at the same
    /// places and placeholders at the same places, whatever their names.
    pub fn same_shape(&self, other: &Pattern) -> bool {
        self.segments.len() == other.segments.len()
            && self.segments.iter().zip(&other.segments).all(|pair| match pair {
                (Segment::Literal(a), Segment::Literal(b)) => a == b,
                (Segment::Param(_), Segment::Param(_)) => true,
                _ => false,
            })
    }

    /// A key both patterns match, when there is one: patterns overlap exactly when they
    /// have as many segments and no position holds two different literals.
    pub fn common_key(&self, other: &Pattern) -> Option<String> {
        if self.segments.len() != other.segments.len() {
            return None;
        }
        let mut key = String::new();
        for pair in self.segments.iter().zip(&other.segments) {
            key.push(':');
            match pair {
                (Segment::Literal(a), Segment::Literal(b)) if a != b => return None,
                (Segment::Literal(a), _) | (_, Segment::Literal(a)) => key.push_str(a),
                (Segment::Param(name), Segment::Param(_)) => key.push_str(name),
            }
        }
        Some(key)
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for seg in &self.segments {
            write!(f, ":{seg}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_parse_into_literals_and_placeholders() {
        let p = Pattern::parse(":~p:{authId}:activities").unwrap();
        assert_eq!(
            p.segments(),
            [
                Segment::Literal("~p".into()),
                Segment::Param("authId".into()),
                Segment::Literal("activities".into())
            ]
        );
        assert_eq!(p.to_string(), ":~p:{authId}:activities");
    }

    #[test]
    fn malformed_text_says_what_is_wrong() {
        use PatternError::*;
        assert_eq!(parse_segments("activities"), Err(MissingColon));
        assert_eq!(parse_segments(":a::b"), Err(EmptySegment { index: 1 }));
        assert_eq!(parse_segments(":a:"), Err(EmptySegment { index: 1 }));
        assert_eq!(parse_segments(":"), Err(EmptySegment { index: 0 }));
        assert!(matches!(
            parse_segments(":{authId"),
            Err(UnclosedPlaceholder { .. })
        ));
        assert!(matches!(parse_segments(":{a}b"), Err(UnclosedPlaceholder { .. })));
        assert!(matches!(
            parse_segments(":{a{b}"),
            Err(UnclosedPlaceholder { .. })
        ));
        assert!(matches!(parse_segments(":{}"), Err(BadPlaceholderName { .. })));
        assert!(matches!(
            parse_segments(":{auth-id}"),
            Err(BadPlaceholderName { .. })
        ));
        assert!(matches!(parse_segments(":{1a}"), Err(BadPlaceholderName { .. })));
        assert!(matches!(parse_segments(":a}"), Err(StrayBrace { .. })));
        assert!(matches!(parse_segments(":a b"), Err(BadLiteral { .. })));
        assert_eq!(
            Pattern::parse(":{a}:{a}"),
            Err(DuplicatePlaceholder { name: "a".into() })
        );
        assert_eq!(
            Pattern::parse(":{a}:{b}:{c}:{d}:{e}:{f}:{g}:{h}:{i}"),
            Err(TooManyPlaceholders { count: 9 })
        );
        assert_eq!(Pattern::from_segments(vec![]), Err(Empty));
    }

    #[test]
    fn overlap_is_decided_position_by_position() {
        let p = |s| Pattern::parse(s).unwrap();
        assert_eq!(
            p(":~p:{a}:x").common_key(&p(":~p:y:{b}")).as_deref(),
            Some(":~p:y:x")
        );
        assert_eq!(p(":~p:{a}:x").common_key(&p(":~p:{b}:y")), None);
        assert_eq!(p(":~p:{a}").common_key(&p(":~p:{a}:x")), None);
        assert!(p(":~p:{a}:x").same_shape(&p(":~p:{b}:x")));
        assert!(!p(":~p:{a}:x").same_shape(&p(":~p:a:x")));
    }
}
