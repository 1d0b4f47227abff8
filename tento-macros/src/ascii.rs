//! Names and keys are ASCII: a kind, a marker's name and every segment of a lookup key
//! end up in stored credentials, URLs and generated Rust names (`MY_PROVIDER_ID`), where
//! a non-ASCII letter breaks a lint or a lookup. Every macro refuses one the same way:
//! naming the letter, saying what is allowed, and suggesting the word spelt in ASCII
//! (`café` → `cafe`), never a word with the letter deleted.

/// The first non-ASCII character of `text`, if any.
pub(crate) fn first_non_ascii(text: &str) -> Option<char> {
    text.chars().find(|c| !c.is_ascii())
}

/// `text` spelt in ASCII, letter by letter (`é` → `e`, `ß` → `ss`, `Æ` → `AE`), or `None`
/// when a character has no obvious ASCII spelling.
pub(crate) fn transliterate(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
            continue;
        }
        let lower = c.to_lowercase().next().unwrap_or(c);
        let ascii = match lower {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
            'æ' => "ae",
            'ç' | 'ć' | 'č' => "c",
            'ď' | 'đ' | 'ð' => "d",
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
            'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => "i",
            'ł' | 'ľ' | 'ĺ' => "l",
            'ñ' | 'ń' | 'ň' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
            'œ' => "oe",
            'ř' | 'ŕ' => "r",
            'ś' | 'š' | 'ş' | 'ș' => "s",
            'ß' => "ss",
            'ť' | 'ţ' | 'ț' => "t",
            'þ' => "th",
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => "u",
            'ý' | 'ÿ' => "y",
            'ź' | 'ż' | 'ž' => "z",
            _ => return None,
        };
        if c.is_uppercase() {
            out.push_str(&ascii.to_ascii_uppercase());
        } else {
            out.push_str(ascii);
        }
    }
    Some(out)
}

/// `None` when `text` is ASCII; otherwise the one message every macro gives: what holds
/// which letter, what is allowed, and `fix` of the ASCII spelling when there is one
/// (`kind = "cafe"`).
pub(crate) fn non_ascii(
    text: &str,
    what: &str,
    allowed: &str,
    fix: impl FnOnce(&str) -> String,
) -> Option<String> {
    let bad = first_non_ascii(text)?;
    let instead = match transliterate(text) {
        Some(ascii) => format!("write `{}`", fix(&ascii)),
        None => "spell it with ASCII letters".to_owned(),
    };
    Some(format!(
        "{what} holds `{bad}`, which is not ASCII: {allowed}; {instead}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accented_letters_are_spelt_in_ascii_and_others_are_not_guessed() {
        assert_eq!(transliterate("café").as_deref(), Some("cafe"));
        assert_eq!(transliterate("Ökostrom").as_deref(), Some("Okostrom"));
        assert_eq!(transliterate("Straße").as_deref(), Some("Strasse"));
        assert_eq!(transliterate("año").as_deref(), Some("ano"));
        assert_eq!(transliterate("天気"), None);
        assert_eq!(first_non_ascii("plain"), None);
        assert_eq!(first_non_ascii("activités"), Some('é'));
        let message = non_ascii("café", "kind `café`", "a kind is ASCII", |k| {
            format!("kind = \"{k}\"")
        });
        assert_eq!(
            message.as_deref(),
            Some("kind `café` holds `é`, which is not ASCII: a kind is ASCII; write `kind = \"cafe\"`")
        );
        assert!(
            non_ascii("天気", "kind", "a kind is ASCII", |k| k.to_owned())
                .unwrap()
                .ends_with("spell it with ASCII letters")
        );
    }
}
