// Reading a size-class table from a file (`--size-classes FILE`): what `sizeclasses` prints,
// as text or with --json, or what `tune-classes` writes.
//
// Text: one class per line, columns separated by blanks or tabs; lines starting with '#'
// and blank lines are skipped. An optional header line names the columns: the object size
// is the column headed `bytes/obj`, `bytes_per_obj`, `bytes` or `object_size`, the pages per
// span the one headed `pages` or `span_pages` (else span bytes, `bytes/span`,
// `bytes_per_span` or `span_bytes`), and a `class` column, when present, must count 1, 2, 3….
// Without a header the columns are class, bytes[, pages]. JSON: {"classes": [{"object_size":
// N, "span_pages": N}, …]} (span_pages optional). Every other column is ignored: it is
// recomputed from these. Pages left out are chosen by Go's rule (PagesByGoRule).
#pragma once

#include <memory>
#include <stdexcept>
#include <string>

#include "src/alloc/size_class_table.h"

namespace goalloc::alloc {

struct SizeClassFile {
  std::shared_ptr<const SizeClassTable> table;
  std::string path;
  std::string hash;  // FNV-1a 64 of the file's bytes, 16 hex digits
  std::string Name() const { return path + " (fnv1a64 " + hash + ")"; }
};

// The message reads "FILE:LINE: why" (text) or "FILE: classes[i]: why" (JSON).
class SizeClassFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

SizeClassFile LoadSizeClassFile(const std::string& path);

// The text form, as `sizeclasses` prints it: `comment` (each line after a '# '), the header,
// one row per class, and notes on the rules as '#' lines.
std::string SizeClassFileText(const SizeClassTable& t, const std::string& comment);
// The same, from a file's contents already read (path only names it in messages).
SizeClassFile ParseSizeClassFile(const std::string& path, const std::string& contents);

}  // namespace goalloc::alloc
