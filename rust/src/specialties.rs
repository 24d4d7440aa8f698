//! `medqa_ds/specialties.py`'s canonicalisation: a spelling's key, looked up in the table Python
//! builds from `schema/specialties.schema.json` (handed over once, so the data has one source).

use std::collections::HashMap;

/// `_key`: lower-cased, `&` as ` and `, every run of characters other than `[a-z0-9/]` one space.
pub fn key(name: &str) -> String {
    let low = crate::text::lower(name).replace('&', " and ");
    let mut out = String::with_capacity(low.len());
    let mut gap = false;
    for c in low.chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '/' {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            out.push(c);
        } else {
            gap = true;
        }
    }
    out
}

/// The spellings of the specialties, by key.
#[derive(Debug, Default, Clone)]
pub struct Table(pub HashMap<String, String>);

impl Table {
    /// `canonical`: the canonical specialty for `name`, or None.
    pub fn canonical(&self, name: Option<&str>) -> Option<String> {
        let name = name.filter(|n| !n.is_empty())?;
        self.0.get(&key(name)).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        assert_eq!(
            key("General & Family  Physician"),
            "general and family physician"
        );
        assert_eq!(key("  Ear, Nose/Throat (ENT) "), "ear nose/throat ent");
        assert_eq!(key("\u{212A}ids"), "kids");
        assert_eq!(key("İnternal"), "i nternal");
    }

    #[test]
    fn lookup() {
        let t = Table(HashMap::from([(
            "cardiology".to_string(),
            "Cardiology".to_string(),
        )]));
        assert_eq!(
            t.canonical(Some("CARDIOLOGY ")).as_deref(),
            Some("Cardiology")
        );
        assert_eq!(t.canonical(Some("")), None);
        assert_eq!(t.canonical(None), None);
    }
}
