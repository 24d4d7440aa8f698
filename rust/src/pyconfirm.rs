//! The confirmations de-identification asks of Python (libphonenumber's `is_phone`,
//! python-stdnum's checksums), for a caller that runs the step with the GIL released: on the
//! calling thread under `py.detach`, or on a pool's threads. The callables are held once
//! (`Confirmers`, shared by reference: `Py` is Send and Sync); each thread asks through its own
//! `AttachedConfirm`, which takes the GIL for each call only (`Python::attach`).

use crate::privacy::forms::Names;
use crate::privacy::typed::Confirm;
use pyo3::prelude::*;

/// Python's confirming callables: `identifiers.is_phone` and `identifiers.CHECKSUMS`, in order.
pub struct Confirmers {
    pub is_phone: Py<PyAny>,
    pub checksums: Vec<Py<PyAny>>,
}

/// One thread's confirmations: each call takes the GIL for itself; the first exception a
/// callable raises stops the asking (what is asked after it is refused) and is kept for the
/// caller to raise (`error`) once the step is done.
pub struct AttachedConfirm<'a> {
    confirmers: &'a Confirmers,
    names: Option<&'a Names>,
    error: Option<PyErr>,
}

impl<'a> AttachedConfirm<'a> {
    /// `names`: the record's names, for a text cleaned outside the record step (which asks its
    /// own names).
    pub fn new(confirmers: &'a Confirmers, names: Option<&'a Names>) -> Self {
        AttachedConfirm {
            confirmers,
            names,
            error: None,
        }
    }

    /// The first exception a callable raised, if any.
    pub fn error(self) -> Option<PyErr> {
        self.error
    }

    fn ask(&mut self, f: &Py<PyAny>, arg: &str) -> bool {
        if self.error.is_some() {
            return false;
        }
        Python::attach(
            |py| match f.call1(py, (arg,)).and_then(|v| v.bind(py).is_truthy()) {
                Ok(yes) => yes,
                Err(err) => {
                    self.error = Some(err);
                    false
                }
            },
        )
    }
}

impl Confirm for AttachedConfirm<'_> {
    fn is_phone(&mut self, candidate: &str) -> bool {
        let f = &self.confirmers.is_phone;
        self.ask(f, candidate)
    }

    fn checksum(&mut self, shape: usize, value: &str) -> bool {
        let checksums = &self.confirmers.checksums;
        checksums.get(shape).is_some_and(|f| self.ask(f, value))
    }

    fn names_search(&mut self, text: &str) -> bool {
        self.names.is_some_and(|n| n.patients_search(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::privacy::record::deidentify_record;
    use crate::privacy::step::Policy;
    use crate::record::tests::blanks;
    use pyo3::types::PyDict;
    use serde_json::json;
    use std::collections::HashSet;
    use std::ffi::CString;

    /// Python's callables of the tests: a phone is confirmed when it ends in 7 (and noted in
    /// `asked`); the checksum when the value ends in 1; `boom` raises.
    fn confirmers(py: Python<'_>) -> (Confirmers, Bound<'_, PyDict>) {
        let code = CString::new(
            "asked = []\n\
             def is_phone(s):\n    asked.append(s)\n    return s.endswith('7')\n\
             def check(s):\n    return s.endswith('1')\n\
             def boom(s):\n    raise ValueError('no ' + s)\n",
        )
        .unwrap();
        let globals = PyDict::new(py);
        py.run(&code, Some(&globals), None).unwrap();
        let get = |name: &str| globals.get_item(name).unwrap().unwrap().unbind();
        let confirmers = Confirmers {
            is_phone: get("is_phone"),
            checksums: vec![get("check"), get("boom")],
        };
        (confirmers, globals)
    }

    #[test]
    fn pool_threads_ask_python_with_the_gil_released_each_with_its_own_confirmer() {
        Python::initialize();
        Python::attach(|py| {
            let (shared, globals) = confirmers(py);
            let shared = &shared;
            let got: Vec<(bool, bool, bool, bool)> = py.detach(|| {
                std::thread::scope(|scope| {
                    let workers: Vec<_> = (0..4)
                        .map(|k| {
                            scope.spawn(move || {
                                let mut c = AttachedConfirm::new(shared, None);
                                let phone = c.is_phone(&format!("0912 34{k}7"));
                                let not = c.is_phone("0912 3456");
                                let sum = c.checksum(0, "A1");
                                let missing = c.checksum(9, "A1");
                                assert!(c.error().is_none());
                                (phone, not, sum, missing)
                            })
                        })
                        .collect();
                    workers.into_iter().map(|w| w.join().unwrap()).collect()
                })
            });
            assert_eq!(got, vec![(true, false, true, false); 4]);
            let asked = globals.get_item("asked").unwrap().unwrap();
            assert_eq!(asked.len().unwrap(), 8);
        });
    }

    #[test]
    fn the_first_exception_stops_the_asking_and_is_kept() {
        Python::initialize();
        Python::attach(|py| {
            let (shared, globals) = confirmers(py);
            let (after, error) = py.detach(|| {
                let mut c = AttachedConfirm::new(&shared, None);
                assert!(!c.checksum(1, "X1"));
                let after = c.is_phone("0912 3457");
                (after, c.error())
            });
            assert!(!after);
            let asked = globals.get_item("asked").unwrap().unwrap();
            assert_eq!(
                asked.len().unwrap(),
                0,
                "nothing is asked after the exception"
            );
            let error = error.expect("the exception is kept");
            assert!(error.is_instance_of::<pyo3::exceptions::PyValueError>(py));
            assert_eq!(error.value(py).to_string(), "no X1");
        });
    }

    #[test]
    fn a_record_is_deidentified_on_a_pool_thread_with_python_confirming() {
        Python::initialize();
        let mut record = blanks().record();
        record["question"]["text"] = json!("Mine is 98450 12347, not 98450 12348.");
        record["provenance"]["file"] = json!("a.txt");
        Python::attach(|py| {
            let (shared, globals) = confirmers(py);
            let done = py.detach(|| {
                std::thread::scope(|scope| {
                    scope
                        .spawn(|| {
                            let off = HashSet::new();
                            let mut confirm = AttachedConfirm::new(&shared, None);
                            let mut policy = Policy {
                                off: &off,
                                redact_doctors: false,
                                phone_checks: 100,
                                confirm: &mut confirm,
                            };
                            let done = deidentify_record(&mut policy, record.clone());
                            assert!(confirm.error().is_none());
                            done
                        })
                        .join()
                        .unwrap()
                })
            });
            let done = done.unwrap();
            let asked = globals.get_item("asked").unwrap().unwrap();
            assert!(asked.len().unwrap() > 0, "libphonenumber's part was asked");
            assert_eq!(
                done.record["question"]["text"],
                json!("Mine is [PHONE], not 98450 12348.")
            );
            assert!(done
                .by_kind
                .contains(&("rule:phone-libphonenumber".to_string(), 1)));
        });
    }
}
