#ifndef SIPBED_TESTS_SCENARIOS_TEST_SCENARIOS_H
#define SIPBED_TESTS_SCENARIOS_TEST_SCENARIOS_H

#include "scenarios/scenario.h"

namespace sipbed
{

/**
 * `test-udp-echo`: a client sends numbered UDP packets over a two-node
 * CSMA link to a server that echoes each after a random delay
 * (uniform in [0, jitter], an ns-3 random variable on an allocated stream);
 * optional random loss on the link (RateErrorModel). CSMA on purpose: ARP
 * draws its request jitter from an ns-3-internal random variable. One parameter of every
 * type; `fail_at` makes it throw from a simulation event, for the failure
 * paths. Test-only: registered by the test programs, not by sipbed.
 */
ScenarioInfo UdpEchoTestScenario();

/**
 * `test-noise`: leaves as much process-wide ns-3 state behind as it can
 * (changed Config defaults, draws from automatic random streams, nodes, IPv4
 * addresses and MAC addresses); with --pcap it traces a CSMA LAN and a
 * point-to-point link, so that a test can check that the next run is
 * unaffected.
 */
ScenarioInfo NoiseTestScenario();

/// Register both in ScenarioRegistry::Get(), once.
void RegisterTestScenarios();

} // namespace sipbed

#endif // SIPBED_TESTS_SCENARIOS_TEST_SCENARIOS_H
