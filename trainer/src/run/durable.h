// Durable replacement of a file: what a SIGKILL or a power cut may leave behind is the old file or the new one,
// complete, never a torn mix. rename() alone is atomic for running processes but not across a power cut: without
// fsync the new name can reach the disk before the new contents do, so both are flushed explicitly.
#pragma once
#include <string>

#include "styleforge/result.h"

namespace styleforge::trainer {

// fsync of one file's contents.
Status sync_file(const std::string& path);

// Renames `tmp` (already complete) over `path`: fsync(tmp), rename, fsync(the folder holding the new name).
Status durable_rename(const std::string& tmp, const std::string& path);

}  // namespace styleforge::trainer
