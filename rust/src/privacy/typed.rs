//! Typed identifiers: contact details and numbers that identify a person.
