// Every request message decoder: the first byte picks the opcode (STARTUP, AUTH_RESPONSE,
// OPTIONS, QUERY, PREPARE, EXECUTE, BATCH, REGISTER), the second the header flags (custom
// payload, tracing), the third the protocol version (3, 4 or 5); the rest is the body. A body that
// does not decode must be refused with a CqlError, nothing else.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/errors.h"
#include "transport/frame.h"
#include "transport/requests.h"

namespace {

using namespace cqld;
using namespace cqld::transport;

constexpr Opcode kRequestOpcodes[] = {Opcode::kStartup, Opcode::kAuthResponse, Opcode::kOptions, Opcode::kQuery,
                                      Opcode::kPrepare, Opcode::kExecute,      Opcode::kBatch,   Opcode::kRegister};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3) return 0;
  FrameHeader header;
  header.opcode = static_cast<uint8_t>(kRequestOpcodes[data[0] % std::size(kRequestOpcodes)]);
  header.flags = data[1];
  header.version = static_cast<uint8_t>(3 + data[2] % 3);
  std::string_view body(reinterpret_cast<const char*>(data) + 3, size - 3);
  header.length = static_cast<int64_t>(body.size());
  try {
    decode_request(header, body);
  } catch (const CqlError&) {
  }
  return 0;
}
