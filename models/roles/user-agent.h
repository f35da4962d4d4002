// A SIP user agent (RFC 3261 8, 10, 12-15): registers its address-of-record
// through its edge proxy with digest authentication and keeps the
// registration fresh; calls another AOR (INVITE with an SDP offer, ACK,
// BYE after a hold time) and answers calls (180, then 200 with an SDP
// answer); answers OPTIONS and MESSAGE. Every request leaves through the
// edge proxy (its outbound proxy, 8.1.2), which the UA reaches on its
// configured transport; the dialogs' route sets start there too.
//
// The scenario learns what happened through a UaListener: registration and
// call outcomes with their delays, for the metrics.
#ifndef SIPBED_USER_AGENT_H
#define SIPBED_USER_AGENT_H

#include "models/roles/outbound-backoff.h"
#include "models/roles/outbound-profile.h"
#include "models/roles/sip-element.h"
#include "models/sip/digest-client.h"
#include "models/sip/stun-client.h"

#include <map>
#include <optional>
#include <string>

namespace sipbed
{

/// What a UA reports (all times in ns of the element's clock). Every
/// callback does nothing unless overridden: a listener takes what it needs.
class UaListener
{
  public:
    virtual ~UaListener() = default;
    /// A REGISTER transaction ended in 2xx; `delay` from the first REGISTER
    /// of this registration attempt (challenges included).
    virtual void OnRegistered(TimeNs /* delay */, bool /* refresh */)
    {
    }
    /// It ended otherwise: the final status, or 408 / 503 for a timeout or a
    /// transport error (8.1.3.1).
    virtual void OnRegistrationFailed(int /* status */)
    {
    }
    /// A call we placed got its 2xx: `setupDelay` from INVITE to 200.
    virtual void OnCallEstablished(TimeNs /* setupDelay */)
    {
    }
    /// A call we placed failed with `status` (408 / 503 as above).
    virtual void OnCallFailed(int /* status */)
    {
    }
    /// An OPTIONS or MESSAGE we sent to `target` got its final answer (or
    /// 408/503).
    virtual void OnRequestAnswered(std::string_view method, std::string_view target, int status, TimeNs delay)
    {
        (void)method;
        (void)target;
        (void)status;
        (void)delay;
    }
    /// Outbound flows (issue 5): `kind` is "flow_failed" (detail: the cause),
    /// "flow_registered" (detail: "recovered" after a failure) or
    /// "flow_gave_up". Flow numbers start at 1 (flow-id / reg-id).
    virtual void OnFlowEvent(uint32_t flow, std::string_view kind, std::string_view detail)
    {
        (void)flow;
        (void)kind;
        (void)detail;
    }
    /// A recovery backoff decision (outbound 4.3) with its inputs.
    virtual void OnBackoff(uint32_t flow, const BackoffDecision& decision)
    {
        (void)flow;
        (void)decision;
    }
    /// A call ended by BYE (ours or the peer's).
    virtual void OnCallEnded(bool /* byUs */)
    {
    }
    /// We answered an incoming call with 200.
    virtual void OnCallAnswered()
    {
    }
};

struct UaConfig
{
    std::string user;     ///< user part of the AOR, and the digest user name
    std::string domain;   ///< AOR host ("example.com")
    std::string password;
    /// The edge proxy: every request goes there (outbound proxy, 8.1.2).
    TransportAddress edgeProxy;
    /// Requested registration lifetime (10.2.1.1), seconds.
    uint32_t registerExpires = 3600;
    /// 10.2.4: refresh before expiry; at this fraction of the granted time.
    double refreshFraction = 0.5;
    /// After a failed registration, try again this much later.
    TimeNs registerRetry = SecondsToNs(30);
    /// Callee: 180 Ringing at once, 200 after this delay.
    TimeNs answerDelay = 0;
    /// Keepalive to the edge proxy (CRLFCRLF, RFC 5626 3.5.1 style) every
    /// interval while registered, so that the NAT keeps the mapping the
    /// edge proxy reaches the UA through; 0: none.
    TimeNs keepaliveInterval = 0;
    /// Port of the (simulated) RTP stream offered and answered in SDP.
    uint16_t rtpPort = 40000;

    // ---- outbound (../shared/spec/outbound.md 5.1; docs/outbound.md) ----
    /// Off: one plain RFC 3261 registration through edgeProxy, retried every
    /// registerRetry. On: one flow per outbound proxy, instance-id and
    /// flow-id/reg-id, keepalives, failure detection and backoff.
    bool outbound = false;
    OutboundProfile profile = OutboundProfile::kDraft;
    /// The instance-id URN ("urn:uuid:..."), the same across reboots (OB-UA-3).
    std::string instanceId;
    /// The outbound proxy set, 1 to 4 (OB-UA-1); empty: {edgeProxy}.
    std::vector<TransportAddress> outboundProxies;
    /// What each proxy URI "resolves" to (RFC 3263; no DNS in the
    /// simulation): outboundProxyHosts[i], when given, lists the hosts of
    /// outbound proxy i with equal priority. Every new attempt to form the
    /// flow (not a refresh) picks one at random, so a retry after a 503 or a
    /// failure can reach another host (OB-UA-6). Empty: outboundProxies[i] only.
    std::vector<std::vector<TransportAddress>> outboundProxyHosts;
    /// Draft: the proxy URIs carry the `stun` parameter, so UDP flows keep
    /// alive with STUN (OB-UA-11). RFC 5626 uses STUN when the REGISTER's 2xx
    /// Path has `ob` (its 8) and ignores this.
    bool stunParameter = true;
    /// Recovery backoff constants (OB-UA-19).
    BackoffConfig backoff;
    /// How a failed registration attempt is retried (outbound mode). The
    /// outbound backoff is the drafts'; the others are baselines of deployed
    /// clients (../shared/spec/outbound.md section 11): at once, as a naive
    /// client does, or every retryFixed +- retryJitter.
    enum class RetryPolicy : uint8_t
    {
        kBackoff,
        kImmediate,
        kFixed,
    };
    RetryPolicy retryPolicy = RetryPolicy::kBackoff;
    TimeNs retryFixed = SecondsToNs(300);
    TimeNs retryJitter = SecondsToNs(10);
};

class UserAgent : public SipElement
{
  public:
    UserAgent(const ElementEnvironment& env,
              const ElementConfig& element,
              const UaConfig& config,
              UaListener* listener);
    ~UserAgent() override;

    /// "sip:user@domain".
    const std::string& GetAor() const
    {
        return m_aor;
    }

    /// Starts registering every flow (and refreshing until Stop).
    void Register();
    /// Removes the registrations (Expires: 0) and stops refreshing.
    void Unregister();
    /// At least one flow is registered.
    bool IsRegistered() const;
    /// Flows currently registered (outbound: 0 .. number of proxies).
    uint32_t GetRegisteredFlowCount() const;

    /// Calls `targetAor`; BYE after `holdTime`. Returns false if the INVITE
    /// could not be sent.
    bool Call(const std::string& targetAor, TimeNs holdTime);

    /// Sends an out-of-dialog OPTIONS (RFC 3261 11) or MESSAGE (RFC 3428,
    /// `text` as text/plain) to `targetAor` through the edge proxy; the answer
    /// goes to UaListener::OnRequestAnswered. False if it could not be sent.
    bool SendRequest(std::string_view method, const std::string& targetAor, const std::string& text = "");

    /// Calls in progress or established.
    size_t GetDialogCount() const
    {
        return m_dialogs.size();
    }

    /// Stops every timer this UA started itself (refresh, BYE, 2xx
    /// retransmission); transactions keep running until they end.
    void Stop();

    size_t EstimateMemoryBytes() const override;

    // TransactionUser
    void OnNewRequest(ServerTransactionHandle tx,
                      const SipMessage& request,
                      const TransportAddress& from) override;
    void OnResponse(ClientTransactionHandle tx,
                    const SipMessage& response,
                    const TransportAddress& from) override;
    void OnClientError(ClientTransactionHandle tx, TransactionError error) override;
    void OnServerError(ServerTransactionHandle tx, TransactionError error) override;
    void OnStrayResponse(const SipMessage& response, const TransportAddress& from) override;
    void OnStrayAck(const SipMessage& ack, const TransportAddress& from) override;

  private:
    /// One dialog (12): a call we placed or answered.
    struct Dialog
    {
        bool caller = false;
        bool confirmed = false; ///< 2xx sent and ACKed (callee), or 2xx received (caller)
        std::string callId;
        std::string localTag;
        std::string remoteTag;
        std::string remoteUri;    ///< the peer's AOR (To of our INVITE, From of theirs)
        std::string remoteTarget; ///< the peer's Contact (12.1.1 / 12.1.2)
        std::vector<std::string> routeSet; ///< Record-Route, in the order requests carry it
        uint32_t localCseq = 1;
        TimeNs inviteSentAt = 0;
        TimeNs holdTime = 0;
        ClientTransactionHandle invite;
        ServerTransactionHandle incoming; ///< callee: the INVITE's transaction
        std::string okBytes;      ///< callee: the 2xx, for 13.3.1.4 retransmission
        TimeNs okInterval = 0;
        TimerId timer = 0;        ///< BYE (caller) or 2xx retransmission (callee)
        std::string ackBytes;     ///< caller: the ACK, resent on a 2xx retransmission
    };

    /// One registration flow (outbound 4.1): to one outbound proxy, with its
    /// own Call-ID (OB-UA-5), CSeq, connection and keepalive.
    struct Flow
    {
        uint32_t id = 1; ///< flow-id / reg-id (OB-UA-4)
        TransportAddress proxy; ///< the host in use
        std::vector<TransportAddress> hosts; ///< what the proxy URI resolves to
        std::string callId;
        uint32_t cseq = 0;
        ClientTransactionHandle tx;
        TimeNs startedAt = 0;
        uint32_t expires = 0; ///< what the pending REGISTER asks
        int challenges = 0;
        bool refresh = false;
        bool registered = false;
        bool failed = false;          ///< failed and not yet registered again
        uint32_t consecutiveFailures = 0; ///< outbound 4.3 n
        bool keepaliveAnswered = true;    ///< RFC 5626 4.5: success needs one
        ConnectionId connection = 0;      ///< stream flows: the connection
        TimerId refreshTimer = 0;
        TimerId retryTimer = 0;
        TimerId keepaliveTimer = 0;
        TimerId responseTimer = 0; ///< pong or STUN retransmission/timeout
        uint32_t flowTimer = 0;    ///< RFC 5626 Flow-Timer from the 2xx (s)
        bool stun = false;         ///< STUN keepalives on this flow
        std::unique_ptr<StunClient> stunClient;
        size_t stunAttempt = 0;
        uint64_t trafficMark = 0; ///< connection traffic when the CRLF timer started
    };

    // Registration (user-agent-registration.cc)
    SipMessage MakeRegister(Flow& flow, uint32_t expires);
    void SendRegister(Flow& flow, uint32_t expires, bool refresh);
    void OnRegisterResponse(Flow& flow, const SipMessage& response);
    void RegistrationFailed(Flow& flow, int status, const std::string& cause);
    void FlowFailed(Flow& flow, const std::string& cause);
    void ScheduleRetry(Flow& flow, TimeNs delay);
    void StartKeepalive(Flow& flow);
    void ArmPlainKeepalive();
    static std::string RouteTo(const TransportAddress& proxy);
    void SendFlowKeepalive(Flow& flow);
    void OnStunTimer(Flow& flow);
    void StopFlowTimers(Flow& flow);
    Flow* FlowOfTransaction(ClientTransactionHandle tx);
    Flow* FlowOfPeer(const TransportAddress& peer);
    /// The first registered flow's proxy (requests leave through it).
    const TransportAddress& OutboundProxy() const;
    bool AllFlowsFailed() const;
    void OnStun(std::string_view bytes, const TransportAddress& from) override;
    void OnKeepalive(size_t bytes, const TransportAddress& from) override;
    void OnConnectionClosed(const TransportAddress& peer, const std::string& reason) override;

    // Calls and other requests
    std::optional<SipMessage> NewRequest(std::string_view method,
                                         const std::string& targetAor,
                                         const std::string& callId,
                                         const std::string& localTag);
    SipMessage MakeInDialogRequest(Dialog& d, std::string_view method);
    void SendBye(const std::string& callId);
    void OnInviteResponse(Dialog& d, const SipMessage& response);
    void SendAck(Dialog& d, const SipMessage& ok);
    void Answer(const std::string& callId);
    void RetransmitOk(const std::string& callId);
    void EndDialog(const std::string& callId);
    Dialog* FindDialog(const SipMessage& m);
    void AddRoute(SipMessage& request, const std::vector<std::string>& routeSet) const;

    UaConfig m_config;
    UaListener* m_listener;
    std::string m_aor;
    std::string m_contact;
    std::string m_dialogContact; ///< Contact value of dialog-forming requests and answers
    DigestClient m_digest;

    std::vector<Flow> m_flows;
    std::string m_regTag; ///< From tag of every REGISTER
    bool m_wantRegistered = false;
    TimerId m_keepaliveTimer = 0; ///< plain mode: CRLFCRLF every keepaliveInterval

    std::map<std::string, Dialog> m_dialogs; ///< by Call-ID
    std::map<uint32_t, std::string> m_byClientTx; ///< INVITE/BYE client tx id -> Call-ID
    /// An OPTIONS or MESSAGE waiting for its answer.
    struct PendingRequest
    {
        std::string method;
        std::string target;
        TimeNs sentAt = 0;
    };
    std::map<uint32_t, PendingRequest> m_requests; ///< by client transaction id
};

} // namespace sipbed

#endif
