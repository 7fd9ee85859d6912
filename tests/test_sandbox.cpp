// SPDX-License-Identifier: MIT
// The child process that keeps libhdf5's faults away from anne (src/anne_host/sandbox.*): answers
// come back intact, an Error travels as an Error, and a crash, an exit or a hang of the child
// becomes an Error naming what was being done, after which anne goes on.
#include <gtest/gtest.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <cstdint>
#include <string>
#include <vector>

#include "anne_host/error.hpp"
#include "anne_host/sandbox.hpp"

namespace {

using anne::host::Error;
using anne::host::Message;
using anne::host::Sandbox;
using namespace std::chrono_literals;

/// What the test child does with a request: its first value says which behaviour to show.
enum class Act : uint8_t { sum, refuse, crash, exit, hang, allocate };

Message serve(Message& request) {
  Message answer;
  switch (request.take<Act>()) {
    case Act::sum: {
      double total = 0;
      for (double v : request.take_vector<double>()) total += v;
      answer.put(total);
      answer.put_string(request.take_string() + " done");
      break;
    }
    case Act::refuse:
      throw Error("model.h5: dataset /x is not numeric");
    case Act::crash:
      std::raise(SIGSEGV);
      break;
    case Act::exit:
      _exit(3);
    case Act::hang:
      for (;;) pause();
    case Act::allocate: {  // 2 GiB, more than the child may map
      char* const block = static_cast<char*>(std::malloc(size_t{2} << 30));
      if (block != nullptr) static_cast<volatile char*>(block)[size_t{1} << 30] = 1;  // used, so not optimized away
      answer.put<uint8_t>(block != nullptr);
      std::free(block);
      break;
    }
  }
  return answer;
}

Message ask(Act act) {
  Message request;
  request.put(act);
  return request;
}

std::string failure_of(Sandbox& sandbox, Act act, const std::string& doing) {
  try {
    sandbox.call(ask(act), doing);
  } catch (const Error& error) {
    return error.what();
  }
  ADD_FAILURE() << "no Error for " << doing;
  return {};
}

Message sum_request(const std::vector<double>& values, const std::string& text) {
  Message request = ask(Act::sum);
  request.put_vector(values);
  request.put_string(text);
  return request;
}

TEST(Sandbox, AnswersComeBackIntactRequestAfterRequest) {
  Sandbox sandbox(serve, "the test worker", "the input is bad", 10s);
  std::vector<double> values(100000);  // larger than a socket buffer: the frames arrive in pieces
  for (size_t i = 0; i < values.size(); ++i) values[i] = static_cast<double>(i);
  for (int round = 0; round < 3; ++round) {
    Message answer = sandbox.call(sum_request(values, "round " + std::to_string(round)), "summing");
    EXPECT_EQ(answer.take<double>(), 99999.0 * 100000.0 / 2);
    EXPECT_EQ(answer.take_string(), "round " + std::to_string(round) + " done");
  }
}

TEST(Sandbox, AnErrorInTheChildArrivesAsThatErrorAndTheChildServesOn) {
  Sandbox sandbox(serve, "the test worker", "the input is bad", 10s);
  EXPECT_EQ(failure_of(sandbox, Act::refuse, "reading /x"), "model.h5: dataset /x is not numeric");
  EXPECT_EQ(sandbox.call(sum_request({1, 2}, "after"), "summing").take<double>(), 3.0);
}

TEST(Sandbox, ACrashOfTheChildBecomesAnErrorAndEveryLaterCallFails) {
  Sandbox sandbox(serve, "the test worker", "the input is bad", 10s);
  const std::string crash = failure_of(sandbox, Act::crash, "model.h5: reading attribute 'weight_names' of /d");
  EXPECT_EQ(crash, "model.h5: reading attribute 'weight_names' of /d: the test worker crashed on it (signal " +
                       std::to_string(SIGSEGV) + ": " + strsignal(SIGSEGV) + "); the input is bad");
  EXPECT_EQ(failure_of(sandbox, Act::sum, "model.h5: listing group /"),
            "model.h5: listing group /: the test worker crashed on it (signal " + std::to_string(SIGSEGV) + ": " +
                strsignal(SIGSEGV) + "); the input is bad");
  // The next sandbox is a new child, unharmed.
  Sandbox next(serve, "the test worker", "the input is bad", 10s);
  EXPECT_EQ(next.call(sum_request({4}, "x"), "summing").take<double>(), 4.0);
}

TEST(Sandbox, AChildThatExitsIsReportedWithItsStatus) {
  Sandbox sandbox(serve, "the test worker", "the input is bad", 10s);
  EXPECT_EQ(failure_of(sandbox, Act::exit, "w.h5: opening it"), "w.h5: opening it: the test worker ended on it (exit status 3); the input is bad");
}

TEST(Sandbox, AChildThatHangsIsStoppedAtTheDeadline) {
  Sandbox sandbox(serve, "the test worker", "the input is bad", 300ms);
  EXPECT_EQ(failure_of(sandbox, Act::hang, "w.h5: reading dataset /d/k"),
            "w.h5: reading dataset /d/k: the test worker gave no answer within 300 ms and was stopped; the input is bad");
  EXPECT_EQ(failure_of(sandbox, Act::sum, "w.h5: reading dataset /d/b"),
            "w.h5: reading dataset /d/b: the test worker gave no answer within 300 ms and was stopped; the input is bad");
}

TEST(Sandbox, TheChildCannotMapGigabytes) {
  // What a damaged file can make libhdf5 ask for (5 GB, found by the fuzzer): the allocation
  // fails in the child, or, in a sanitizer build, the sanitizer ends the child; it never succeeds.
  Sandbox sandbox(serve, "the test worker", "the input is bad", 10s);
  try {
    Message answer = sandbox.call(ask(Act::allocate), "allocating");
    EXPECT_EQ(answer.take<uint8_t>(), 0) << "the child got 2 GiB";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("allocating: the test worker ended on it (exit status "), std::string::npos) << error.what();
  }
}

TEST(Message, TakingMoreThanWasPutIsAnErrorNotARead) {
  Message message;
  message.put<uint32_t>(7);
  EXPECT_EQ(message.take<uint32_t>(), 7u);
  EXPECT_THROW(message.take<uint8_t>(), Error);

  // A count that the rest of the message cannot hold is refused before anything is allocated.
  Message lying;
  lying.put<uint64_t>(uint64_t{1} << 60);
  lying.put<float>(1.0f);
  EXPECT_THROW(lying.take_vector<float>(), Error);
  Message short_string;
  short_string.put<uint64_t>(5);
  short_string.put<char>('a');
  EXPECT_THROW(short_string.take_string(), Error);
}

}  // namespace
