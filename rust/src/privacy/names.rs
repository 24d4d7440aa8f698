//! Names: where a text supplies a patient's name, and where the names recur.
