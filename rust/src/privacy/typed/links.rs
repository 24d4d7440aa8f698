//! Links that carry personal data, and e-mail addresses (also spelled out: "name at host dot com").

use super::pattern::{ci, py, Pat, Value};
use crate::sources::pyre::{ignorecase, re};
use regex::Regex;
use std::sync::LazyLock;

/// A link (`_URL`); what makes it personal is asked by `personal`.
pub static URL: LazyLock<Pat> = LazyLock::new(|| {
    Pat::new(
        None,
        r#"(?i:https?://|www\.)[^\s<>"'`)\]]+"#,
        "",
        Value::None,
    )
});
/// What a link's end loses before it is read (`_URL_TRAIL`).
pub const URL_TRAIL: &[char] = &['.', ',', ';', ':', '!', '?'];

/// Query keys and path parts that name a person or an account, not a document.
static PERSONAL_KEYS: LazyLock<Regex> = LazyLock::new(|| {
    ignorecase(concat!(
        r"(?:\A|[?&;])(?:name|(?:first|last|full|user|patient|sur)_?name|e-?mail|mail|phone|tel|mobile|cell|",
        r"id|uid|user(?:_?id)?|patient(?:_?id)?|pid|mrn|ssn|dob|birth(?:_?date)?|address|addr|token|session)="
    ))
});
static PERSONAL_PATH: LazyLock<Regex> =
    LazyLock::new(|| ignorecase(r"/(?:users?|profiles?|patients?|members?|accounts?|u)/[^/?#]+"));
static LONG_NUMBER: LazyLock<Regex> = LazyLock::new(|| re(&py(r"\d{9,}")));
static NAME_BREAKS: LazyLock<Regex> = LazyLock::new(|| re(r"(?:%20|[+_.-])+"));

/// True when a link carries personal data: an e-mail, an account or a person's query parameter,
/// a long number (a phone or an id), or a known name (`names`, asked last: it is a callback).
pub fn personal(url: &str, names: impl FnOnce(&str) -> bool) -> bool {
    let query = url.split_once('?').map_or("", |(_, q)| q);
    url.contains('@')
        || url.contains("%40")
        || PERSONAL_KEYS.is_match(&format!("?{query}"))
        || PERSONAL_PATH.is_match(url)
        || LONG_NUMBER.is_match(url)
        || names(&NAME_BREAKS.replace_all(url, " "))
}

/// `email`: an address, also written "name(at)host(dot)com".
pub static EMAIL: LazyLock<Pat> = LazyLock::new(|| {
    Pat::new(
        Some(r"\w.+-"),
        concat!(
            r"[\w.%+-]+\s*(?:@|\(at\)|\[at\]|\{at\})\s*[A-Za-z0-9-]+",
            r"(?:\s*(?:\.|\(dot\)|\[dot\])\s*[A-Za-z0-9-]+)*\s*(?:\.|\(dot\)|\[dot\])\s*[A-Za-z]{2,}"
        ),
        r"(?:\z|[^\w-])",
        Value::None,
    )
});

/// `email-spelled`: " at " and a spelled " dot ", or a mail provider's domain.
pub static EMAIL_SPELLED: LazyLock<Pat> = LazyLock::new(|| {
    let providers = ci(
        r"gmail|yahoo|hotmail|outlook|icloud|aol|proton(?:mail)?|rediffmail|live|msn|qq|163|mail|ymail",
    );
    let body = [
        r"[\w.+-]*\w[ \t]+",
        &ci("at"),
        r"[ \t]+(?:[A-Za-z0-9-]+(?:(?:[ \t]+dot[ \t]+|\.)[A-Za-z0-9-]+)*[ \t]+",
        &ci("dot"),
        r"[ \t]+[A-Za-z]{2,}|",
        &providers,
        r"(?:\.[A-Za-z]{2,}){1,2})",
    ]
    .concat();
    Pat::new(Some(r"\w.+-"), &body, r"(?:\z|[^\w-])", Value::None)
});

/// What every spelled e-mail holds, in lower-case text (a cheap, necessary condition).
pub static SPELLED_HINT: LazyLock<Regex> =
    LazyLock::new(|| re(&py(r" at[ \t]+[\w-]+(?:[ \t]+dot[ \t]|\.[a-z])")));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_links() {
        let no = |_: &str| false;
        assert!(personal("https://x.org/p?EMAİL=a", no) && personal("www.x.org/Users/lin", no));
        assert!(personal("https://x.org/a?tokeN=1", no) && personal("https://x/a/123456789", no));
        assert!(!personal("https://x.example.org/article/54561", no));
        assert!(personal("https://x.org/q/mei-ling", |s| s
            == "https://x org/q/mei ling"));
    }

    #[test]
    fn addresses() {
        let found = |p: &Pat, t: &str| p.find(t, 0).map(|h| t[h.start..h.end].to_string());
        assert_eq!(
            found(&EMAIL, "me: a.b+c@mail.example.com."),
            Some("a.b+c@mail.example.com".into())
        );
        assert_eq!(found(&EMAIL, "x+-a@b.co"), Some("x+-a@b.co".into()));
        assert_eq!(found(&EMAIL, "€%a@b.co"), Some("%a@b.co".into()));
        assert_eq!(found(&EMAIL, "x@y.c a@b.co"), Some("a@b.co".into()));
        assert_eq!(
            found(&EMAIL_SPELLED, "write meihua AT gmail dot com"),
            Some("meihua AT gmail dot com".into())
        );
        assert_eq!(
            found(&EMAIL_SPELLED, "raj.k at yahoo.co.in"),
            Some("raj.k at yahoo.co.in".into())
        );
        assert_eq!(found(&EMAIL_SPELLED, "look at webmd.com"), None);
    }
}
