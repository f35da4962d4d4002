// The scenarios shipped with sipbed: one line each. Every scenario file
// (scenarios/NAME.cc) defines a function returning its ScenarioInfo; declare
// it here and add it to RegisterBuiltinScenarios. Why a list rather than
// self-registering objects: see ScenarioRegistry.

#include "scenario-registry.h"

namespace sipbed
{

ScenarioInfo AvalancheRestartScenarioInfo(); // scenarios/avalanche-restart.cc
ScenarioInfo BasicCallScenarioInfo();    // scenarios/basic-call.cc
ScenarioInfo FlowRecoveryScenarioInfo();  // scenarios/flow-recovery.cc
ScenarioInfo NatKeepaliveScenarioInfo(); // scenarios/nat-keepalive.cc

void
RegisterBuiltinScenarios(ScenarioRegistry& registry)
{
    registry.Add(AvalancheRestartScenarioInfo());
    registry.Add(BasicCallScenarioInfo());
    registry.Add(FlowRecoveryScenarioInfo());
    registry.Add(NatKeepaliveScenarioInfo());
}

} // namespace sipbed
