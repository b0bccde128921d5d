// The floor for heapscope's loader: one RapidJSON SAX pass over a file with a handler that
// accepts every event and keeps nothing. Same parse flags as the loader (iterative), same
// buffer size (4 MiB). Plain (uncompressed) files only.
//
//   heapscope_bench_sax_noop FILE   ->  prints "bytes=N" and exits 0, or an error and exits 2
#include <rapidjson/error/en.h>
#include <rapidjson/filereadstream.h>
#include <rapidjson/reader.h>

#include <cstdio>
#include <memory>

namespace {

struct NoopHandler : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, NoopHandler> {
  bool Default() { return true; }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s FILE\n", argv[0]);
    return 2;
  }
  std::FILE* f = std::fopen(argv[1], "rb");
  if (f == nullptr) {
    std::perror(argv[1]);
    return 2;
  }
  constexpr size_t kBuffer = size_t{4} << 20;
  std::unique_ptr<char[]> buf(new char[kBuffer]);
  rapidjson::FileReadStream stream(f, buf.get(), kBuffer);
  NoopHandler handler;
  rapidjson::Reader reader;
  rapidjson::ParseResult ok = reader.Parse<rapidjson::kParseIterativeFlag>(stream, handler);
  std::fclose(f);
  if (!ok) {
    std::fprintf(stderr, "%s: byte %zu: %s\n", argv[1], ok.Offset(),
                 rapidjson::GetParseError_En(ok.Code()));
    return 2;
  }
  std::printf("bytes=%zu\n", stream.Tell());
  return 0;
}
