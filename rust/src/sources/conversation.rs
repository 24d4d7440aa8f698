//! What the parsers of pages laid out as a conversation of labelled turns (`Patient:` /
//! `Doctor:`: askthedoctor, meddialog) find on a page: the binding hands it to Python as one
//! tuple shape, and the Python class fills a record from it the same way for each.

/// A doctor's reply, its signature split off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub author: Option<String>,
    pub role: Option<String>,
    pub text: String,
}

/// A later message of the patient's, with the answer it follows (None: before the first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    pub text: Option<String>,
    pub after_answer: Option<usize>,
}

/// A page's fields, in the record's terms.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Page {
    pub title: Option<String>,
    pub question_text: Option<String>,
    pub answers: Vec<Answer>,
    pub follow_ups: Vec<FollowUp>,
    /// The incomplete_reason, when the page shows it was cut.
    pub cut: Option<&'static str>,
}

/// A page that gives no record: the reason (the Python `ParseError`'s) and the 1-based line of
/// the page to blame, when one is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reject {
    pub reason: String,
    pub line: Option<usize>,
}

impl Reject {
    pub fn new(reason: impl Into<String>, line: Option<usize>) -> Self {
        Self {
            reason: reason.into(),
            line,
        }
    }
}
