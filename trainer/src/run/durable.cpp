#include "run/durable.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace styleforge::trainer {
namespace {

Status sync_path(const std::string& path, int flags, const char* what) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return Status::failure(std::string("cannot open ") + what + " " + path + " to sync it: " + std::strerror(errno));
  const int rc = ::fsync(fd);
  const int saved = errno;
  ::close(fd);
  if (rc != 0) return Status::failure(std::string("cannot sync ") + what + " " + path + ": " + std::strerror(saved));
  return Status::success();
}

}  // namespace

Status sync_file(const std::string& path) { return sync_path(path, O_RDONLY, "file"); }

Status durable_rename(const std::string& tmp, const std::string& path) {
  if (Status s = sync_file(tmp); !s.ok()) return s;
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Status::failure("cannot rename " + tmp + " to " + path + ": " + ec.message());
  std::string dir = std::filesystem::path(path).parent_path().string();
  return sync_path(dir.empty() ? "." : dir, O_RDONLY | O_DIRECTORY, "folder");
}

}  // namespace styleforge::trainer
