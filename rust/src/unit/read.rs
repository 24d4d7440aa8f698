//! A loose raw file's bytes (`read.read_bytes`), read on the unit's threads: only a regular file
//! inside the raw folder, never one over the size limit; anything else is a reject saying what it
//! is and what to do. Python's `read.read_bytes` and `read.open_regular` (a container, streamed)
//! call this too, so the rules exist once.

use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// Python's `exc.strerror`: the C library's text of an OS error, without Rust's "(os error N)".
fn strerror(err: &io::Error) -> String {
    let text = match err.raw_os_error() {
        Some(code) => io::Error::from_raw_os_error(code).to_string(),
        None => return err.to_string(),
    };
    match text.rfind(" (os error ") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

/// What a file type that is no regular file is called (`read._KINDS`).
#[cfg(unix)]
fn kind(meta: &fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_fifo() {
        "a FIFO"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_dir() {
        "a folder"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn kind(meta: &fs::Metadata) -> &'static str {
    if meta.is_dir() {
        "a folder"
    } else {
        "a special file"
    }
}

/// Opened read-only, without blocking (a FIFO would wait forever) and without following a
/// symlink put in its place since the check.
fn open(path: &Path) -> io::Result<File> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // O_CLOEXEC is std's default
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW);
    }
    options.open(path)
}

/// `open_regular`: the file `rel` names below `root`, a symlink followed only to a regular file
/// inside the raw folder; or why it is not opened (a reject's reason).
fn open_regular(root: &Path, rel: &str) -> Result<File, String> {
    let mut path: PathBuf = root.join(rel);
    let linked = fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
    if linked {
        let target = match fs::canonicalize(&path) {
            Ok(target) => target,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err("broken symlink: its target does not exist".into())
            }
            Err(e) => {
                return Err(format!(
                    "symlink that cannot be followed: {} (a symlink loop?)",
                    strerror(&e)
                ))
            }
        };
        let inside = fs::canonicalize(root).is_ok_and(|r| target.starts_with(r));
        if !inside {
            return Err(
                "symlink to outside the raw folder: not read (copy the file in instead)".into(),
            );
        }
        if target.is_dir() {
            return Err(
                "symlink to a folder: not followed (move or copy the folder in instead)".into(),
            );
        }
        path = target;
    }
    open(&path).map_err(cannot)
}

fn cannot(e: io::Error) -> String {
    format!("cannot read the file: {}", strerror(&e))
}

/// The regular file `rel` names below `root`, open, with its size; or why it is not read. The
/// check is made again on the open file, so an entry swapped after the walk is caught too.
pub fn open_checked(root: &Path, rel: &str) -> Result<(File, u64), String> {
    let file = open_regular(root, rel)?;
    let meta = file.metadata().map_err(cannot)?;
    if !meta.is_file() {
        return Err(format!(
            "not a regular file but {}: only text files are pages",
            kind(&meta)
        ));
    }
    Ok((file, meta.len()))
}

/// The bytes of the file `root/rel`, or why it is not read (a reject's reason).
pub fn read_file(root: &Path, rel: &str, max_bytes: u64) -> Result<Vec<u8>, String> {
    let (file, size) = open_checked(root, rel)?;
    let mb = |n: u64| n as f64 / 1e6;
    if size > max_bytes {
        return Err(format!(
            "file is {:.1} MB, over the {:.1} MB limit for one file (raise --max-bytes if it \
             really is a page, or a corpus file of many such as MedDialog's)",
            mb(size),
            mb(max_bytes)
        ));
    }
    let mut data = Vec::with_capacity(size as usize + 1);
    file.take(max_bytes + 1)
        .read_to_end(&mut data)
        .map_err(cannot)?;
    if data.len() as u64 > max_bytes {
        return Err(format!(
            "file is over the {:.1} MB limit for one file (raise --max-bytes)",
            mb(max_bytes)
        ));
    }
    Ok(data)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn folder(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("medqa-read-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("raw/sub")).unwrap();
        dir
    }

    #[test]
    fn a_regular_file_and_a_symlink_to_one_inside_are_read() {
        let dir = folder("ok");
        let raw = dir.join("raw");
        fs::write(raw.join("sub/a.txt"), b"page").unwrap();
        symlink(raw.join("sub/a.txt"), raw.join("b.txt")).unwrap();
        assert_eq!(read_file(&raw, "sub/a.txt", 100).unwrap(), b"page");
        assert_eq!(read_file(&raw, "b.txt", 100).unwrap(), b"page");
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn what_is_no_regular_file_inside_the_raw_folder_is_refused_saying_what_it_is() {
        let dir = folder("bad");
        let raw = dir.join("raw");
        fs::write(dir.join("outside.txt"), b"secret").unwrap();
        symlink(dir.join("outside.txt"), raw.join("out.txt")).unwrap();
        symlink(raw.join("missing.txt"), raw.join("broken.txt")).unwrap();
        symlink(raw.join("sub"), raw.join("folder.txt")).unwrap();
        symlink(raw.join("loop.txt"), raw.join("loop.txt")).unwrap();
        let refused = |rel: &str| read_file(&raw, rel, 100).unwrap_err();
        assert!(refused("out.txt").starts_with("symlink to outside the raw folder"));
        assert_eq!(
            refused("broken.txt"),
            "broken symlink: its target does not exist"
        );
        assert!(refused("folder.txt").starts_with("symlink to a folder"));
        assert_eq!(
            refused("loop.txt"),
            "symlink that cannot be followed: Too many levels of symbolic links (a symlink loop?)"
        );
        assert_eq!(
            refused("sub"),
            "not a regular file but a folder: only text files are pages"
        );
        assert_eq!(
            refused("none.txt"),
            "cannot read the file: No such file or directory"
        );
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_file_over_the_limit_is_refused_with_its_size() {
        let dir = folder("big");
        let raw = dir.join("raw");
        fs::write(raw.join("big.txt"), vec![b'a'; 1_250_000]).unwrap();
        assert!(read_file(&raw, "big.txt", 1_250_000).is_ok());
        assert_eq!(
            read_file(&raw, "big.txt", 1_000_000).unwrap_err(),
            "file is 1.2 MB, over the 1.0 MB limit for one file (raise --max-bytes if it really \
             is a page, or a corpus file of many such as MedDialog's)"
        );
        fs::remove_dir_all(dir).unwrap();
    }
}
