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

#include "models/roles/sip-element.h"
#include "models/sip/digest-client.h"

#include <map>
#include <optional>
#include <string>

namespace sipbed
{

/// What a UA reports (all times in ns of the element's clock).
class UaListener
{
  public:
    virtual ~UaListener() = default;
    /// A REGISTER transaction ended in 2xx; `delay` from the first REGISTER
    /// of this registration attempt (challenges included).
    virtual void OnRegistered(TimeNs delay, bool refresh) = 0;
    /// It ended otherwise: the final status, or 408 / 503 for a timeout or a
    /// transport error (8.1.3.1).
    virtual void OnRegistrationFailed(int status) = 0;
    /// A call we placed got its 2xx: `setupDelay` from INVITE to 200.
    virtual void OnCallEstablished(TimeNs setupDelay) = 0;
    /// A call we placed failed with `status` (408 / 503 as above).
    virtual void OnCallFailed(int status) = 0;
    /// An OPTIONS or MESSAGE we sent got its final answer (or 408/503).
    virtual void OnRequestAnswered(std::string_view method, int status, TimeNs delay)
    {
        (void)method;
        (void)status;
        (void)delay;
    }
    /// A call ended by BYE (ours or the peer's).
    virtual void OnCallEnded(bool byUs) = 0;
    /// We answered an incoming call with 200.
    virtual void OnCallAnswered() = 0;
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

    /// Starts registering (and refreshing until Stop).
    void Register();
    /// Removes the registration (Expires: 0) and stops refreshing.
    void Unregister();
    bool IsRegistered() const
    {
        return m_registered;
    }

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

    // Registration
    SipMessage MakeRegister(uint32_t expires);
    void SendRegister(uint32_t expires, bool refresh);
    void OnRegisterResponse(const SipMessage& response);
    void RegistrationFailed(int status);
    void ScheduleRegister(TimeNs delay);
    void SendKeepalive();

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
    DigestClient m_digest;

    // Registration state (10.2.4: one Call-ID for all refreshes, CSeq grows).
    std::string m_regCallId;
    std::string m_regTag;
    uint32_t m_regCseq = 0;
    ClientTransactionHandle m_regTx;
    TimeNs m_regStartedAt = 0;
    bool m_regRefresh = false;
    uint32_t m_regExpires = 0; ///< what the pending REGISTER asks
    int m_regChallenges = 0;   ///< 401/407 answered in this attempt
    bool m_registered = false;
    bool m_wantRegistered = false;
    TimerId m_regTimer = 0;
    TimerId m_keepaliveTimer = 0;

    std::map<std::string, Dialog> m_dialogs; ///< by Call-ID
    std::map<uint32_t, std::string> m_byClientTx; ///< INVITE/BYE client tx id -> Call-ID
    /// OPTIONS/MESSAGE client tx id -> (method, sent at)
    std::map<uint32_t, std::pair<std::string, TimeNs>> m_requests;
};

} // namespace sipbed

#endif
