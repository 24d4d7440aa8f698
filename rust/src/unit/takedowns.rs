//! Takedowns in the unit of work: a page whose id, URL or digest is listed is dropped before
//! anything of it is spilled; only its id (or None) is kept, to count it. The one rule of what a
//! takedown matches: `takedowns.matching` (a built folder's records) asks it too.

use crate::text::strip;
use std::collections::HashSet;

/// The takedown list's entries by kind, as Python's `Takedowns` sorts them.
#[derive(Debug, Default, Clone)]
pub struct Takedowns {
    pub ids: HashSet<String>,
    pub urls: HashSet<String>,
    pub digests: HashSet<String>,
}

/// What takedowns look at of a record: its id, URL and the raw bytes' digest.
pub struct Keys<'a> {
    pub id: Option<&'a str>,
    pub url: Option<&'a str>,
    pub sha256: &'a str,
}

impl Takedowns {
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty() && self.urls.is_empty() && self.digests.is_empty()
    }

    /// Whether a record is taken down: its id, its URL (stripped), the raw bytes' digest, or the
    /// digest of the page's text (`text_digest`, computed only when digests are listed).
    pub fn matches(&self, keys: &Keys<'_>, text_digest: &mut dyn FnMut() -> String) -> bool {
        if keys.id.is_some_and(|id| self.ids.contains(id))
            || self.urls.contains(strip(keys.url.unwrap_or("")))
        {
            return true;
        }
        if self.digests.is_empty() {
            return false;
        }
        self.digests.contains(keys.sha256) || self.digests.contains(&text_digest())
    }

    /// Whether the whole page goes (its URL, raw digest or text digest listed): then its rejects
    /// go too.
    pub fn whole_page(
        &self,
        url: Option<&str>,
        sha256: &str,
        text_digest: &mut dyn FnMut() -> String,
    ) -> bool {
        self.urls.contains(strip(url.unwrap_or("")))
            || (!self.digests.is_empty()
                && self.matches(
                    &Keys {
                        id: None,
                        url: None,
                        sha256,
                    },
                    text_digest,
                ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(ids: &[&str], urls: &[&str], digests: &[&str]) -> Takedowns {
        let set = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
        Takedowns {
            ids: set(ids),
            urls: set(urls),
            digests: set(digests),
        }
    }

    fn never() -> String {
        panic!("the text's digest is only computed when digests are listed")
    }

    #[test]
    fn ids_and_stripped_urls_match_without_digests() {
        let t = listed(&["doctorqna-0123456789abcdef"], &["https://x/q/1"], &[]);
        let keys = |id, url| Keys {
            id,
            url,
            sha256: "00",
        };
        assert!(t.matches(&keys(Some("doctorqna-0123456789abcdef"), None), &mut never));
        assert!(t.matches(&keys(None, Some(" https://x/q/1\u{1c}")), &mut never));
        assert!(!t.matches(&keys(Some("doctorqna-0000000000000000"), None), &mut never));
        assert!(t.whole_page(Some("https://x/q/1 "), "00", &mut never));
        assert!(!t.whole_page(None, "00", &mut never));
    }

    #[test]
    fn digests_match_the_raw_bytes_or_the_text() {
        let t = listed(&[], &[], &["aa", "bb"]);
        let keys = |sha256| Keys {
            id: None,
            url: None,
            sha256,
        };
        assert!(t.matches(&keys("aa"), &mut || "zz".into()));
        assert!(t.matches(&keys("cc"), &mut || "bb".into()));
        assert!(!t.matches(&keys("cc"), &mut || "zz".into()));
        assert!(t.whole_page(None, "cc", &mut || "bb".into()));
        // an empty URL is not listed unless "" is
        assert!(!listed(&[], &["x"], &[]).whole_page(None, "cc", &mut never));
    }
}
