//! Arrow record batches from records (ordered JSON values) and the build's spill files, so that
//! work on threads never builds Python dicts nor calls `pa.Table.from_pylist`.
//!
//! The Arrow schema is not written down here: it comes from Python (`pyarrow.Schema.serialize()`),
//! metadata included, and the columns are built by walking its types. Values follow
//! `from_pylist`: a missing key or a null is a null slot, keys the schema does not name are
//! ignored, and a value of another type is an error naming the field's path (never a panic).
//!
//! The build's Python chunks still spill with pyarrow (`chunk._spill`): from Python's dicts this
//! path is slower, as converting the dicts to JSON values costs about what `from_pylist` and its
//! writer cost together (benchmarks/spill.py). It is for the unit of work, whose records are
//! JSON values already: building and writing them here costs less than half of pyarrow's spill.

use arrow_array::types::{Float64Type, Int32Type, Int64Type};
use arrow_array::{
    ArrayRef, ArrowPrimitiveType, BooleanArray, GenericListArray, GenericStringArray, NullArray,
    OffsetSizeTrait, PrimitiveArray, RecordBatch, RecordBatchOptions, StructArray,
};
use arrow_buffer::{BooleanBuffer, Buffer, NullBuffer, OffsetBuffer, ScalarBuffer};
use arrow_ipc::writer::{FileWriter, IpcWriteOptions};
use arrow_ipc::CompressionType;
use arrow_schema::{ArrowError, DataType, Field, FieldRef, Fields, Schema, SchemaRef};
use serde_json::{Map, Value};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::Arc;

/// What went wrong building or writing rows.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// A value that does not fit the schema (the message names the field), or a bad schema.
    Invalid(String),
    /// The file could not be written.
    Io(String),
    /// A column's offsets would overflow (more than 2 GiB of text in one batch): fewer rows a batch.
    Overflow,
}

impl From<ArrowError> for Error {
    fn from(e: ArrowError) -> Self {
        match e {
            ArrowError::IoError(msg, _) => Error::Io(msg),
            other => Error::Invalid(other.to_string()),
        }
    }
}

/// The value of a slot: `None` under a null parent (masked: any value will do), else the value,
/// `Value::Null` for a missing key.
type Slot<'a> = Option<&'a Value>;

static NULL: Value = Value::Null;

/// The schema pyarrow's `Schema.serialize()` gives (an encapsulated IPC message), metadata kept.
pub fn schema_from_ipc(bytes: &[u8]) -> Result<Schema, Error> {
    arrow_ipc::convert::try_schema_from_ipc_buffer(bytes)
        .map_err(|e| Error::Invalid(format!("not a serialized Arrow schema: {e}")))
}

/// The rows as batches of `schema`, as `pa.Table.from_pylist(rows, schema=schema)` builds them:
/// one, unless a column's offsets would overflow; then the rows are halved until each batch fits
/// (pyarrow makes chunked arrays there).
pub fn record_batches(schema: &SchemaRef, rows: &[Value]) -> Result<Vec<RecordBatch>, Error> {
    batches(schema, rows, usize::MAX)
}

/// `record_batches` with at most `limit` bytes or items behind a column's offsets (tests lower it).
fn batches(schema: &SchemaRef, rows: &[Value], limit: usize) -> Result<Vec<RecordBatch>, Error> {
    match batch(schema, rows, limit) {
        Err(Error::Overflow) if rows.len() > 1 => {
            let (head, tail) = rows.split_at(rows.len() / 2);
            let mut out = batches(schema, head, limit)?;
            out.extend(batches(schema, tail, limit)?);
            Ok(out)
        }
        Err(Error::Overflow) => Err(Error::Invalid(
            "one row holds more text or items than an Arrow column can".into(),
        )),
        other => other.map(|b| vec![b]),
    }
}

fn batch(schema: &SchemaRef, rows: &[Value], limit: usize) -> Result<RecordBatch, Error> {
    let objects = rows
        .iter()
        .enumerate()
        .map(|(i, row)| match row {
            Value::Object(map) => Ok(map),
            other => Err(Error::Invalid(format!(
                "row {i}: expected an object, got {}",
                kind(other)
            ))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let slots = members(objects.into_iter().map(Some), schema.fields());
    let columns = schema
        .fields()
        .iter()
        .zip(slots)
        .map(|(f, slots)| column(f.name(), f, &slots, limit))
        .collect::<Result<Vec<_>, _>>()?;
    let options = RecordBatchOptions::new().with_row_count(Some(rows.len()));
    Ok(RecordBatch::try_new_with_options(
        schema.clone(),
        columns,
        &options,
    )?)
}

/// The slots of each of `fields` in each object (`None`: a null parent). One pass over the
/// objects, their keys read in order while they follow the schema's (a record's do: its keys are
/// in the schema's order), looked up once they do not.
fn members<'a>(
    objects: impl ExactSizeIterator<Item = Option<&'a Map<String, Value>>>,
    fields: &Fields,
) -> Vec<Vec<Slot<'a>>> {
    let len = objects.len();
    let mut out: Vec<Vec<Slot>> = fields.iter().map(|_| Vec::with_capacity(len)).collect();
    for object in objects {
        let Some(map) = object else {
            out.iter_mut().for_each(|slots| slots.push(None));
            continue;
        };
        let mut entries = Some(map.iter());
        for (field, slots) in fields.iter().zip(out.iter_mut()) {
            let name = field.name();
            let value = match entries.as_mut().and_then(Iterator::next) {
                Some((key, value)) if key == name => value,
                _ => {
                    entries = None;
                    map.get(name).unwrap_or(&NULL)
                }
            };
            slots.push(Some(value));
        }
    }
    out
}

/// One column of `field` from its slots; `path` names the field in errors (`answers[].text`).
fn column(path: &str, field: &Field, slots: &[Slot], limit: usize) -> Result<ArrayRef, Error> {
    let mut valid = Vec::with_capacity(slots.len());
    for slot in slots {
        match slot {
            Some(Value::Null) if !field.is_nullable() => {
                return Err(Error::Invalid(format!(
                    "{path}: null in a non-nullable field"
                )))
            }
            Some(Value::Null) | None => valid.push(false),
            Some(_) => valid.push(true),
        }
    }
    let nulls = if valid.iter().all(|v| *v) {
        None
    } else {
        Some(NullBuffer::from(valid))
    };
    match field.data_type() {
        DataType::Null => match slots.iter().flatten().find(|v| !v.is_null()) {
            None => Ok(Arc::new(NullArray::new(slots.len()))),
            Some(v) => Err(mismatch(path, "null", v)),
        },
        DataType::Boolean => {
            let values = slots
                .iter()
                .map(|slot| match slot {
                    Some(Value::Bool(b)) => Ok(*b),
                    Some(Value::Null) | None => Ok(false),
                    Some(v) => Err(mismatch(path, "a bool", v)),
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Arc::new(BooleanArray::new(
                BooleanBuffer::from(values),
                nulls,
            )))
        }
        DataType::Int64 => primitive::<Int64Type>(path, slots, nulls, "an int64", Value::as_i64),
        DataType::Int32 => primitive::<Int32Type>(path, slots, nulls, "an int32", |v| {
            v.as_i64().and_then(|i| i32::try_from(i).ok())
        }),
        DataType::Float64 => {
            primitive::<Float64Type>(path, slots, nulls, "a number", Value::as_f64)
        }
        DataType::Utf8 => strings::<i32>(path, slots, nulls, limit),
        DataType::LargeUtf8 => strings::<i64>(path, slots, nulls, limit),
        DataType::List(item) => list::<i32>(path, item, slots, nulls, limit),
        DataType::LargeList(item) => list::<i64>(path, item, slots, nulls, limit),
        DataType::Struct(fields) => {
            let objects = slots
                .iter()
                .map(|slot| match slot {
                    Some(Value::Object(map)) => Ok(Some(map)),
                    Some(Value::Null) | None => Ok(None),
                    Some(v) => Err(mismatch(path, "an object", v)),
                })
                .collect::<Result<Vec<_>, _>>()?;
            let children = fields
                .iter()
                .zip(members(objects.into_iter(), fields))
                .map(|(f, slots)| column(&format!("{path}.{}", f.name()), f, &slots, limit))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Arc::new(StructArray::try_new_with_length(
                fields.clone(),
                children,
                nulls,
                slots.len(),
            )?))
        }
        other => Err(Error::Invalid(format!(
            "{path}: the Arrow type {other} is not supported"
        ))),
    }
}

fn primitive<T: ArrowPrimitiveType>(
    path: &str,
    slots: &[Slot],
    nulls: Option<NullBuffer>,
    what: &str,
    get: impl Fn(&Value) -> Option<T::Native>,
) -> Result<ArrayRef, Error> {
    let values = slots
        .iter()
        .map(|slot| match slot {
            Some(Value::Null) | None => Ok(T::Native::default()),
            Some(v) => get(v).ok_or_else(|| mismatch(path, what, v)),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Arc::new(PrimitiveArray::<T>::try_new(
        ScalarBuffer::from(values),
        nulls,
    )?))
}

/// The offset `n`, or `Overflow` past `limit` or what `O` holds.
fn offset<O: OffsetSizeTrait>(n: usize, limit: usize) -> Result<O, Error> {
    if n > limit {
        return Err(Error::Overflow);
    }
    O::from_usize(n).ok_or(Error::Overflow)
}

fn strings<O: OffsetSizeTrait>(
    path: &str,
    slots: &[Slot],
    nulls: Option<NullBuffer>,
    limit: usize,
) -> Result<ArrayRef, Error> {
    let mut offsets = Vec::with_capacity(slots.len() + 1);
    offsets.push(O::zero());
    let mut bytes = Vec::new();
    for slot in slots {
        match slot {
            Some(Value::String(s)) => bytes.extend_from_slice(s.as_bytes()),
            Some(Value::Null) | None => {}
            Some(v) => return Err(mismatch(path, "a string", v)),
        }
        offsets.push(offset(bytes.len(), limit)?);
    }
    let offsets = OffsetBuffer::new(ScalarBuffer::from(offsets));
    Ok(Arc::new(GenericStringArray::<O>::try_new(
        offsets,
        Buffer::from_vec(bytes),
        nulls,
    )?))
}

fn list<O: OffsetSizeTrait>(
    path: &str,
    item: &FieldRef,
    slots: &[Slot],
    nulls: Option<NullBuffer>,
    limit: usize,
) -> Result<ArrayRef, Error> {
    let mut offsets = Vec::with_capacity(slots.len() + 1);
    offsets.push(O::zero());
    let mut items: Vec<Slot> = Vec::new();
    for slot in slots {
        match slot {
            Some(Value::Array(values)) => items.extend(values.iter().map(Some)),
            Some(Value::Null) | None => {}
            Some(v) => return Err(mismatch(path, "a list", v)),
        }
        offsets.push(offset(items.len(), limit)?);
    }
    let values = column(&format!("{path}[]"), item, &items, limit)?;
    let offsets = OffsetBuffer::new(ScalarBuffer::from(offsets));
    Ok(Arc::new(GenericListArray::<O>::try_new(
        item.clone(),
        offsets,
        values,
        nulls,
    )?))
}

fn mismatch(path: &str, what: &str, got: &Value) -> Error {
    Error::Invalid(format!("{path}: expected {what}, got {}", kind(got)))
}

fn kind(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("the bool {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(_) => "a string".into(),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "an object".into(),
    }
}

/// The batches as an Arrow IPC file with LZ4 frame compression (what the spill's readers expect).
pub fn write_file(path: &Path, schema: &Schema, batches: &[RecordBatch]) -> Result<(), Error> {
    let io = |e: std::io::Error| Error::Io(format!("{}: {e}", path.display()));
    let options =
        IpcWriteOptions::default().try_with_compression(Some(CompressionType::LZ4_FRAME))?;
    let file = File::create(path).map_err(io)?;
    let mut writer = FileWriter::try_new_with_options(BufWriter::new(file), schema, options)?;
    for batch in batches {
        writer.write(batch)?;
    }
    writer.finish()?;
    writer.into_inner()?.flush().map_err(io)
}

/// `rows` of `schema` to an Arrow file at `path`: the build's spill.
pub fn spill(path: &Path, schema: &SchemaRef, rows: &[Value]) -> Result<(), Error> {
    let batches = record_batches(schema, rows)?;
    write_file(path, schema, &batches)
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::cast::AsArray;
    use arrow_array::Array;
    use arrow_ipc::reader::FileReader;
    use serde_json::json;
    use std::collections::HashMap;

    /// The rows as one batch.
    fn record_batch(schema: &SchemaRef, rows: &[Value]) -> Result<RecordBatch, Error> {
        batch(schema, rows, usize::MAX)
    }

    fn schema(fields: Vec<Field>) -> SchemaRef {
        Arc::new(Schema::new(fields))
    }

    fn one(field: Field, rows: Value) -> Result<RecordBatch, Error> {
        let rows = rows.as_array().cloned().unwrap_or_default();
        record_batch(&schema(vec![field]), &rows)
    }

    fn item(data_type: DataType) -> DataType {
        DataType::List(Arc::new(Field::new("item", data_type, true)))
    }

    #[test]
    fn strings_with_nulls_missing_keys_and_non_ascii() {
        let b = one(
            Field::new("s", DataType::Utf8, true),
            json!([{"s": "a"}, {"s": null}, {}, {"s": "größe — 病"}]),
        )
        .unwrap();
        let s = b.column(0).as_string::<i32>();
        assert_eq!(s.len(), 4);
        assert_eq!(s.value(0), "a");
        assert!(s.is_null(1) && s.is_null(2));
        assert_eq!(s.value(3), "größe — 病");
        let large = one(
            Field::new("s", DataType::LargeUtf8, true),
            json!([{"s": "x"}, {}]),
        )
        .unwrap();
        assert_eq!(large.column(0).as_string::<i64>().value(0), "x");
        assert!(large.column(0).is_null(1));
    }

    #[test]
    fn bools_ints_and_floats() {
        let s = schema(vec![
            Field::new("b", DataType::Boolean, true),
            Field::new("i", DataType::Int64, true),
            Field::new("j", DataType::Int32, true),
            Field::new("f", DataType::Float64, true),
        ]);
        let rows = json!([
            {"b": true, "i": -3, "j": 7, "f": 1.5},
            {"b": false, "i": i64::MAX, "j": null, "f": 2},
            {}
        ]);
        let b = record_batch(&s, rows.as_array().unwrap()).unwrap();
        let bools = b.column(0).as_boolean();
        assert!(bools.value(0) && !bools.value(1) && bools.is_null(2));
        let ints = b.column(1).as_primitive::<Int64Type>();
        assert_eq!((ints.value(0), ints.value(1)), (-3, i64::MAX));
        assert!(ints.is_null(2));
        let small = b.column(2).as_primitive::<Int32Type>();
        assert_eq!(small.value(0), 7);
        assert!(small.is_null(1) && small.is_null(2));
        let floats = b.column(3).as_primitive::<Float64Type>();
        assert_eq!((floats.value(0), floats.value(1)), (1.5, 2.0));
        assert!(floats.is_null(2));
    }

    #[test]
    fn a_null_type_column_holds_only_nulls() {
        let b = one(
            Field::new("n", DataType::Null, true),
            json!([{}, {"n": null}]),
        )
        .unwrap();
        assert_eq!(b.column(0).len(), 2);
        let err = one(Field::new("n", DataType::Null, true), json!([{"n": 1}])).unwrap_err();
        assert_eq!(
            err,
            Error::Invalid("n: expected null, got the number 1".into())
        );
    }

    #[test]
    fn nested_lists_of_structs_with_null_parents() {
        let asker = Field::new(
            "asker",
            DataType::Struct(Fields::from(vec![Field::new("name", DataType::Utf8, true)])),
            true,
        );
        let answer = DataType::Struct(Fields::from(vec![
            Field::new("text", DataType::Utf8, true),
            Field::new("tags", item(DataType::Utf8), true),
        ]));
        let s = schema(vec![asker, Field::new("answers", item(answer), true)]);
        let rows = json!([
            {"asker": {"name": "Dora"}, "answers": [{"text": "a", "tags": ["x", "y"]}, {"text": null, "tags": []}]},
            {"asker": null, "answers": []},
            {"answers": null},
            {"asker": {}, "answers": [{}]}
        ]);
        let b = record_batch(&s, rows.as_array().unwrap()).unwrap();
        let asker = b.column(0).as_struct();
        assert_eq!(asker.column(0).as_string::<i32>().value(0), "Dora");
        assert!(asker.is_valid(0) && asker.is_null(1) && asker.is_null(2) && asker.is_valid(3));
        assert!(asker.column(0).is_null(3));
        let answers = b.column(1).as_list::<i32>();
        assert_eq!(answers.value_offsets(), &[0, 2, 2, 2, 3]);
        assert!(answers.is_valid(1) && answers.is_null(2));
        let items = answers.values().as_struct();
        let text = items.column(0).as_string::<i32>();
        assert_eq!(text.value(0), "a");
        assert!(text.is_null(1) && text.is_null(2));
        let tags = items.column(1).as_list::<i32>();
        assert_eq!(tags.value_offsets(), &[0, 2, 2, 2]);
        assert!(tags.is_null(2));
        assert_eq!(tags.values().as_string::<i32>().value(1), "y");
        let large = one(
            Field::new(
                "l",
                DataType::LargeList(Arc::new(Field::new("item", DataType::Int64, true))),
                true,
            ),
            json!([{"l": [1, null]}]),
        )
        .unwrap();
        assert_eq!(large.column(0).as_list::<i64>().value_offsets(), &[0, 2]);
    }

    #[test]
    fn a_type_mismatch_names_the_field_path() {
        let answer = DataType::Struct(Fields::from(vec![Field::new("n", DataType::Int64, true)]));
        let field = Field::new("answers", item(answer), true);
        let err = one(field, json!([{"answers": [{"n": 1}, {"n": "2"}]}])).unwrap_err();
        assert_eq!(
            err,
            Error::Invalid("answers[].n: expected an int64, got a string".into())
        );
        let cases = [
            (
                DataType::Utf8,
                json!(1),
                "expected a string, got the number 1",
            ),
            (
                DataType::Boolean,
                json!(1),
                "expected a bool, got the number 1",
            ),
            (
                DataType::Int64,
                json!(true),
                "expected an int64, got the bool true",
            ),
            (
                DataType::Int64,
                json!(1.5),
                "expected an int64, got the number 1.5",
            ),
            (
                DataType::Int32,
                json!(1i64 << 40),
                "expected an int32, got the number 1099511627776",
            ),
            (
                DataType::Float64,
                json!("1"),
                "expected a number, got a string",
            ),
            (
                item(DataType::Utf8),
                json!("x"),
                "expected a list, got a string",
            ),
            (
                DataType::Struct(Fields::from(vec![Field::new("a", DataType::Utf8, true)])),
                json!([]),
                "expected an object, got a list",
            ),
        ];
        for (data_type, value, want) in cases {
            let err = one(Field::new("f", data_type, true), json!([{"f": value}])).unwrap_err();
            assert_eq!(err, Error::Invalid(format!("f: {want}")));
        }
        let err = record_batch(&schema(vec![]), &[json!([])]).unwrap_err();
        assert_eq!(
            err,
            Error::Invalid("row 0: expected an object, got a list".into())
        );
        let err = one(Field::new("f", DataType::Date32, true), json!([])).unwrap_err();
        assert_eq!(
            err,
            Error::Invalid("f: the Arrow type Date32 is not supported".into())
        );
    }

    #[test]
    fn nulls_in_non_nullable_fields_are_errors_unless_their_parent_is_null() {
        let err = one(Field::new("s", DataType::Utf8, false), json!([{}])).unwrap_err();
        assert_eq!(
            err,
            Error::Invalid("s: null in a non-nullable field".into())
        );
        let inner = DataType::Struct(Fields::from(vec![Field::new("a", DataType::Utf8, false)]));
        let b = one(
            Field::new("p", inner, true),
            json!([{"p": null}, {"p": {"a": "x"}}]),
        )
        .unwrap();
        assert!(b.column(0).is_null(0));
    }

    #[test]
    fn no_rows_and_extra_keys() {
        let s = schema(vec![Field::new("s", DataType::Utf8, true)]);
        assert_eq!(record_batch(&s, &[]).unwrap().num_rows(), 0);
        let b = record_batch(&s, &[json!({"s": "a", "other": 1})]).unwrap();
        assert_eq!(b.num_columns(), 1);
    }

    #[test]
    fn keys_in_any_order_or_among_others_are_found() {
        let s = schema(vec![
            Field::new("a", DataType::Int64, true),
            Field::new("b", DataType::Utf8, true),
            Field::new("c", DataType::Boolean, true),
        ]);
        let rows = json!([
            {"a": 1, "b": "x", "c": true},
            {"c": false, "a": 2, "b": "y"},
            {"a": 3, "extra": 0, "c": true, "b": "z"},
            {"b": "w"}
        ]);
        let b = record_batch(&s, rows.as_array().unwrap()).unwrap();
        let a = b.column(0).as_primitive::<Int64Type>();
        assert_eq!(
            a.iter().collect::<Vec<_>>(),
            [Some(1), Some(2), Some(3), None]
        );
        let texts: Vec<_> = b.column(1).as_string::<i32>().iter().collect();
        assert_eq!(texts, [Some("x"), Some("y"), Some("z"), Some("w")]);
        let c: Vec<_> = b.column(2).as_boolean().iter().collect();
        assert_eq!(c, [Some(true), Some(false), Some(true), None]);
    }

    #[test]
    fn rows_past_the_offsets_limit_are_split_into_batches() {
        let s = schema(vec![Field::new("s", DataType::Utf8, true)]);
        let rows: Vec<Value> = (0..5).map(|i| json!({"s": format!("row{i}")})).collect();
        let got = batches(&s, &rows, 8).unwrap();
        assert!(got.len() > 1);
        let texts: Vec<&str> = got
            .iter()
            .flat_map(|b| b.column(0).as_string::<i32>().iter().flatten())
            .collect();
        assert_eq!(texts, ["row0", "row1", "row2", "row3", "row4"]);
        let err = batches(&s, &[json!({"s": "far too long"})], 8).unwrap_err();
        assert!(matches!(err, Error::Invalid(_)));
    }

    #[test]
    fn spills_an_lz4_file_whose_schema_keeps_the_metadata() {
        let metadata = HashMap::from([("huggingface".to_string(), "{\"info\": 1}".to_string())]);
        let fields = vec![
            Field::new("id", DataType::Utf8, true),
            Field::new("n", DataType::Int64, true),
        ];
        let s = Schema::new(fields).with_metadata(metadata);
        let bytes = arrow_ipc::writer::IpcDataGenerator::default()
            .schema_to_bytes_with_dictionary_tracker(
                &s,
                &mut arrow_ipc::writer::DictionaryTracker::new(false),
                &IpcWriteOptions::default(),
            );
        // pyarrow's Schema.serialize(): continuation marker, length, the flatbuffer message
        let mut serialized = vec![0xff, 0xff, 0xff, 0xff];
        let len = i32::try_from(bytes.ipc_message.len()).unwrap();
        serialized.extend(len.to_le_bytes());
        serialized.extend(&bytes.ipc_message);
        assert_eq!(schema_from_ipc(&serialized).unwrap(), s);
        let schema = Arc::new(schema_from_ipc(&serialized).unwrap());
        let dir = std::env::temp_dir().join(format!("arrow-rows-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("records.arrow");
        let rows = [json!({"id": "a", "n": 1}), json!({"id": null})];
        spill(&path, &schema, &rows).unwrap();
        let reader = FileReader::try_new(File::open(&path).unwrap(), None).unwrap();
        assert_eq!(reader.schema().as_ref(), &s);
        let read: Vec<RecordBatch> = reader.collect::<Result<_, _>>().unwrap();
        assert_eq!(read, vec![record_batch(&Arc::new(s), &rows).unwrap()]);
        // compressed: a long run of one letter takes a few bytes, not 100 kB
        let long = [json!({"id": "a".repeat(100_000)})];
        spill(&path, &schema, &long).unwrap();
        assert!(std::fs::metadata(&path).unwrap().len() < 10_000);
        let err = spill(&dir.join("no/such/dir.arrow"), &schema, &rows).unwrap_err();
        assert!(matches!(err, Error::Io(_)));
        assert!(matches!(schema_from_ipc(b"junk"), Err(Error::Invalid(_))));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
