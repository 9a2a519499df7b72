"""The remaining demo requests."""

from demo.data.requests import (
    DemoAfterwards,
    DemoEdit,
    DemoRisk,
    DemoRound,
    DemoUseCase,
    all_approve,
    approve,
    approve_with_conditions,
)
from governance.roles import Function

MORE: tuple[DemoUseCase, ...] = (
    DemoUseCase(
        title="IT helpdesk ticket routing (Mistral Small 3, EU private cloud)",
        owner="owner",
        department="IT Service Desk",
        model="Mistral Small 3",
        deployment_mode="private_cloud",
        hosting_country="FR",
        purpose=(
            "Classify and route internal IT tickets and suggest first replies in English, French and German. "
            "Mistral Small 3 is Apache-2.0 and runs in our EU private cloud."
        ),
        approved_purpose="Ticket classification and routing; reply suggestions shown to service desk staff.",
        prohibited_uses="No password resets or access changes; no HR or customer tickets.",
        data_categories=("internal-documents",),
        no_fallback_reason="If the model is unavailable the service desk routes tickets by hand, as it does today.",
        autonomy="autonomous",
        tool_use_detail="Sets ticket category and queue through the ITSM API.",
        log_contents="Ticket ID, predicted category and queue, confidence, suggestion.",
        log_location="ITSM platform audit log",
        log_access="Service desk leads",
        log_retention_days=365,
        log_prompt_protection=(
            "Secret masking runs before the model call; masked tickets are logged as masked, and the original "
            "stays only in the ITSM ticket."
        ),
        log_retrieval_sources=(
            "No retrieval: the model reads only the ticket text; the ticket ID is logged with each prediction."
        ),
        log_tool_execution=(
            "Every category and queue change the model makes through the ITSM API is in the ITSM audit log with "
            "the model's service account and the prediction's confidence."
        ),
        log_exceptions="The service desk manager approves exceptions in the ITSM change module, for 14 days at most.",
        risks=(
            DemoRisk(
                title="Misrouted tickets delay incident handling",
                category="operational",
                description="A security incident reported as a helpdesk ticket could land in the wrong queue.",
                mitigations="Security keywords always route to the SOC queue; misroutes reviewed weekly.",
                inherent=(3, 2),
                residual=(2, 2),
            ),
            DemoRisk(
                title="Credentials pasted into tickets",
                category="data",
                description="Users paste passwords into tickets despite guidance.",
                mitigations="Secret masking before the model call.",
                inherent=(3, 3),
                residual=(2, 2),
            ),
        ),
        status="draft",
        business_items=("GOV-1", "DATA-1"),
    ),
    DemoUseCase(
        title="Agentic unit-test generation (self-hosted Kimi K2)",
        owner="owner",
        department="Platform Engineering",
        model="Kimi K2",
        deployment_mode="on_premises",
        hosting_country="DE",
        purpose=(
            "An agent that reads a repository, writes unit tests, runs them in a sandbox and opens merge "
            "requests for review. Kimi K2 was chosen for its agentic coding results and open weights."
        ),
        approved_purpose="Unit-test generation in disposable sandboxes; merge requests reviewed by a developer.",
        prohibited_uses="No merges or pushes to protected branches; no network access from the sandbox.",
        data_categories=("source-code",),
        fallbacks=("Qwen3-235B-A22B",),
        autonomy="human_reviewed",
        tool_use_detail="Runs tests in a disposable sandbox container and opens merge requests; cannot merge.",
        log_contents="Agent plan, every tool call with arguments and results, generated diffs.",
        log_location="Model gateway log store, Frankfurt data centre",
        log_access="Platform engineering and security operations",
        log_retention_days=180,
        log_prompt_protection=(
            "Prompts hold source code only; the gateway's secret scanner masks keys and tokens before prompts and"
            " tool arguments are stored."
        ),
        log_retrieval_sources="The repository, commit and files the agent read are logged with each run.",
        log_tool_execution=(
            "Every tool call (sandbox command, file write, merge-request creation) is logged with its arguments, "
            "exit code and output, under the agent's run ID."
        ),
        log_exceptions=(
            "The platform engineering lead approves exceptions as change tickets, for 14 days at most; security "
            "operations reviews them monthly."
        ),
        risks=(
            DemoRisk(
                title="Agent runs harmful code or escapes the sandbox",
                category="security",
                description="The agent executes the code it writes.",
                mitigations="Disposable containers without network or secrets; resource limits; tool calls logged.",
                inherent=(3, 5),
                residual=(2, 4),
            ),
            DemoRisk(
                title="Tampered weights",
                category="security",
                description="A 1-trillion-parameter download is hard to verify by hand.",
                mitigations="Weights from the publisher's repository with pinned checksums; isolated serving segment.",
                inherent=(2, 5),
                residual=(1, 5),
            ),
            DemoRisk(
                title="Licence attribution clause",
                category="legal",
                description="The Modified MIT licence asks to show 'Kimi K2' above 100M MAU or US$20M monthly revenue.",
                mitigations="Internal tool far below both thresholds; legal noted it.",
                inherent=(2, 2),
                residual=(1, 2),
            ),
        ),
        answers={
            "SEC-4": ("yes", "Sandbox escape and network access attempts tested; all blocked."),
            "DEP-1": ("yes", "Kimi-K2-Instruct under the Modified MIT License; hosted in our Frankfurt data centre."),
        },
        rounds=(
            DemoRound(
                signoffs=(
                    *all_approve(Function.LEGAL, Function.PRIVACY, Function.PROCUREMENT),
                    approve_with_conditions(
                        Function.SECURITY,
                        conditions="Re-test the sandbox on any base-image change before the agent runs on it.",
                        comment="Tested in the sandbox as deployed (SEC-4).",
                    ),
                ),
            ),
        ),
        afterwards=DemoAfterwards(
            verb="suspend",
            by="security",
            reason=(
                "The re-test after the sandbox base-image upgrade found outbound DNS open from the agent sandbox. "
                "Suspended until egress is blocked again and SEC-4 is re-tested."
            ),
        ),
        status="suspended",
    ),
    DemoUseCase(
        title="Japanese maintenance-manual assistant for plant engineers (ELYZA)",
        eu_ai_act_class="high_risk",
        annex_iii_area="critical_infrastructure",
        owner="owner2",
        department="Manufacturing Engineering Japan",
        model="Llama-3-ELYZA-JP-8B",
        deployment_mode="on_premises",
        hosting_country="JP",
        purpose=(
            "Answer plant engineers' Japanese questions over equipment maintenance manuals and work "
            "instructions, on a server in the plant network. A Japanese-tuned 8B model fits the hardware there."
        ),
        approved_purpose="Answers with the manual section cited; the engineer follows the manual.",
        prohibited_uses=(
            "No safety-critical procedures (lockout/tagout, pressure systems); no control of equipment; no "
            "changes to work instructions."
        ),
        data_categories=("proprietary-research", "internal-documents"),
        no_fallback_reason=(
            "Sarashina2-8x70B was considered but its licence is non-commercial. If the model is unavailable, "
            "engineers use the manuals directly, as today."
        ),
        log_contents="Question, cited manual sections, answer, engineer ID.",
        log_location="Plant network server, Japan",
        log_access="Manufacturing engineering leads",
        log_retention_days=365,
        log_prompt_protection=(
            "Questions rarely carry personal data; engineer IDs are pseudonymised in the log, and the log never "
            "leaves the plant network."
        ),
        log_retrieval_sources="The manual ID, revision and section cited in every answer are logged with the question.",
        log_tool_execution="No tools: the model answers from retrieved manual sections and cannot act on equipment.",
        log_exceptions=(
            "The plant's manufacturing engineering manager approves exceptions in the plant change register, for "
            "30 days at most."
        ),
        risks=(
            DemoRisk(
                title="Wrong maintenance step affects equipment or safety",
                category="quality",
                description="An industrial error can damage equipment or hurt people, not just give a bad answer.",
                mitigations="Safety-critical procedures excluded; every answer cites the manual section.",
                inherent=(3, 5),
                residual=(2, 4),
            ),
            DemoRisk(
                title="Process know-how leaves the plant network",
                category="data",
                description="Manuals describe proprietary processes.",
                mitigations="Model runs inside the plant network with no outbound connection.",
                inherent=(2, 4),
                residual=(1, 4),
            ),
        ),
        status="draft",
        answers={
            "SEC-3": ("no", "Evaluation on our Japanese manuals has not started yet."),
            "SEC-5": ("no", "Failure modes will be documented after the evaluation."),
            "OPS-2": ("yes", "Engineers use the manuals directly, as today."),
        },
    ),
    DemoUseCase(
        title="Sales proposal first drafts (GPT-4o)",
        owner="owner",
        department="Sales",
        model="GPT-4o",
        deployment_mode="hosted_api",
        hosting_country="US",
        purpose="Draft sales proposals and RFP answers from approved product descriptions and past proposals.",
        approved_purpose="First drafts of proposals and RFP answers; a sales lead edits and signs off every proposal.",
        prohibited_uses="No pricing decisions; no RFP documents whose NDA forbids subprocessors.",
        data_categories=("internal-documents", "third-party-confidential"),
        fallbacks=("Claude Sonnet 4.5",),
        autonomy="human_reviewed",
        log_contents="Prompts, drafts, opportunity ID.",
        log_location="CRM attachment store",
        log_access="Sales operations",
        log_retention_days=365,
        log_prompt_protection=(
            "Customer names and RFP identifiers are replaced by placeholders before the call; documents under NDA"
            " are blocked by the CRM integration."
        ),
        log_retrieval_sources=(
            "No retrieval: drafts use only the text the salesperson provides; the opportunity ID is logged."
        ),
        log_tool_execution="No tools: the model drafts text only.",
        log_exceptions=(
            "The sales operations director approves exceptions with legal's agreement, recorded on the "
            "opportunity, for one proposal at a time."
        ),
        risks=(
            DemoRisk(
                title="RFP documents under NDA sent to a hosted API",
                category="legal",
                description="Some customer NDAs forbid sharing with subprocessors.",
                mitigations="NDA check in the intake form; restricted RFPs excluded.",
                inherent=(3, 4),
                residual=(2, 3),
            ),
            DemoRisk(
                title="Proposal promises features we do not have",
                category="quality",
                description="Drafts can overstate the product.",
                mitigations="Drafts built from approved product descriptions; sales lead signs off.",
                inherent=(3, 3),
                residual=(2, 2),
            ),
        ),
        # Approved a little over a year ago and not renewed since: the approval has run out.
        rounds=(
            DemoRound(
                signoffs=(
                    approve_with_conditions(
                        Function.LEGAL,
                        conditions="RFPs whose NDA forbids subprocessors are never uploaded; the intake form asks.",
                        comment="Some customer NDAs forbid sharing with subprocessors; the intake check covers it.",
                    ),
                    *all_approve(Function.PRIVACY, Function.SECURITY, Function.PROCUREMENT),
                ),
            ),
        ),
        afterwards=DemoAfterwards(verb="expire"),
        status="expired",
    ),
    DemoUseCase(
        title="Research literature and patent summaries (self-hosted DeepSeek-R1)",
        owner="owner",
        department="Materials R&D",
        model="DeepSeek-R1",
        deployment_mode="on_premises",
        hosting_country="DE",
        purpose=(
            "Summarise published papers and patents for materials researchers and compare them with our own "
            "research questions. A reasoning model helps with the chemistry; self-hosted because the questions "
            "reveal where our research is going."
        ),
        approved_purpose="Summaries and comparisons of published literature for researchers, with citations.",
        prohibited_uses=(
            "No patentability or freedom-to-operate opinions; no upload of lab notebooks; no answers used in a "
            "filing without a patent attorney's review."
        ),
        data_categories=("public-content", "proprietary-research"),
        fallbacks=("Qwen3-235B-A22B",),
        log_contents="Question, retrieved documents, summary and researcher ID.",
        log_location="Research computing cluster, Frankfurt data centre",
        log_access="Research computing administrators",
        log_retention_days=180,
        log_prompt_protection=(
            "Researchers' questions are logged with a pseudonymous ID; questions about unpublished projects are "
            "logged encrypted, readable only by research computing administrators."
        ),
        log_retrieval_sources=(
            "The DOI or patent number of every retrieved document is logged with the summary that cites it."
        ),
        log_tool_execution="No tools: the model reads the retrieved documents and writes a summary.",
        log_exceptions=(
            "The head of research computing approves exceptions in the cluster's change log, for 30 days at most."
        ),
        risks=(
            DemoRisk(
                title="Research questions reveal our direction",
                category="data",
                description="The questions researchers ask describe unpublished work.",
                mitigations="Self-hosted with no outbound connection; logs readable by research computing only.",
                inherent=(3, 4),
                residual=(1, 4),
            ),
            DemoRisk(
                title="Summaries state findings the paper does not support",
                category="quality",
                description="A reasoning model can argue convincingly from a misread table.",
                mitigations="Every statement cites its passage; researchers read the paper before relying on it.",
                inherent=(3, 3),
                residual=(2, 3),
            ),
        ),
        # Approved in round 1. Adding partners' reports (received under NDA) is a material change: the
        # edit suspends the approval and opens round 2, which privacy and security have signed so far.
        rounds=(
            DemoRound(signoffs=all_approve()),
            DemoRound(
                edit=DemoEdit(
                    reason="Joint-research reports from partner universities, received under NDA, added to scope",
                    data_categories=("public-content", "proprietary-research", "third-party-confidential"),
                ),
                answered_by=(Function.PRIVACY, Function.SECURITY, Function.LEGAL),
                answers={
                    "DATA-2": ("yes", "Partner reports classified confidential; no personal data beyond authors."),
                    "GOV-3": (
                        "partial",
                        "Checking that the partner agreements allow processing with our own AI tools.",
                    ),
                },
                signoffs=(
                    approve(Function.PRIVACY, "Partner reports name their authors and nobody else."),
                    approve(Function.SECURITY),
                ),
            ),
        ),
        status="in_review",
    ),
    DemoUseCase(
        title="Minutes of Mandarin supplier meetings (iFlytek Spark API)",
        owner="owner",
        department="Sourcing China",
        model="iFlytek Spark (星火认知大模型)",
        deployment_mode="hosted_api",
        hosting_country="CN",
        purpose=(
            "Turn transcripts of Mandarin-language supplier meetings into minutes and action lists in Chinese "
            "and English. The sourcing team in Shenzhen already uses iFlytek's tools and rates its Chinese highly."
        ),
        approved_purpose="Draft minutes and action lists from meeting transcripts, checked by the meeting organiser.",
        prohibited_uses="No negotiation strategy or target prices in transcripts; no one recorded without consent.",
        data_categories=("internal-documents", "third-party-confidential"),
        fallbacks=("Qwen2.5-72B-Instruct",),
        autonomy="human_reviewed",
        log_contents="Meeting ID, transcript, draft minutes and the organiser's edits.",
        log_location="Sourcing team workspace, Shenzhen",
        log_access="Sourcing China leads",
        log_retention_days=365,
        log_prompt_protection=(
            "Participants' names are replaced by roles before a transcript is sent; the original recording stays "
            "in the sourcing workspace."
        ),
        log_retrieval_sources=(
            "No retrieval: minutes are drafted from the meeting transcript alone; the meeting ID is logged."
        ),
        log_tool_execution="No tools: the API transcribes and drafts text only.",
        log_exceptions=(
            "The sourcing China director approves exceptions with compliance, by e-mail filed to the meeting record."
        ),
        risks=(
            DemoRisk(
                title="Vendor on the US Entity List",
                category="vendor",
                description="iFlytek has been on the BIS Entity List since 2019-10-09.",
                mitigations="Pay-as-you-go only; compliance to advise before any contract is signed.",
                inherent=(4, 4),
                residual=(3, 4),
            ),
            DemoRisk(
                title="Supplier confidential terms processed by a hosted API in China",
                category="data",
                description="Meetings cover prices and terms received under confidentiality clauses.",
                mitigations="Negotiation content excluded; organisers redact prices before upload.",
                inherent=(4, 3),
                residual=(3, 3),
            ),
        ),
        # Compliance (restricted vendor) and the executive (high residual risk) are routed too.
        rounds=(
            DemoRound(
                answered_by=(Function.PROCUREMENT,),
                answers={
                    "DEP-1": (
                        "partial",
                        "Vendor on the BIS Entity List since 2019-10-09; compliance to advise what that means for a "
                        "hosted API contract.",
                    ),
                },
            ),
        ),
        afterwards=DemoAfterwards(
            verb="withdraw",
            reason=(
                "Compliance advised that clearing a contract with a vendor on the Entity List would take months; "
                "the team will evaluate a self-hosted open-weight model instead."
            ),
        ),
        status="withdrawn",
    ),
    DemoUseCase(
        title="Chinese product review analysis for Asia-Pacific e-commerce (self-hosted Hunyuan-Large)",
        owner="owner",
        department="E-commerce Asia-Pacific",
        model="Hunyuan-Large",
        deployment_mode="private_cloud",
        hosting_country="SG",
        purpose=(
            "Group and summarise Chinese-language product reviews from public marketplaces for the Singapore "
            "e-commerce team. Hunyuan-Large was chosen for its Chinese; the weights run in our Singapore cloud."
        ),
        approved_purpose="Weekly review themes and summaries for category managers in Asia-Pacific.",
        prohibited_uses="No replies to reviewers; no profiling of individual reviewers; no use by EU teams.",
        data_categories=("public-content",),
        fallbacks=("Gemini 2.5 Pro",),
        log_contents="Marketplace, product ID, review batch and summary.",
        log_location="Asia-Pacific analytics workspace, Singapore",
        log_access="E-commerce analytics team",
        log_retention_days=90,
        log_prompt_protection=(
            "Reviews are public; reviewer names and handles are dropped before the batch is prompted, so the logs"
            " hold no personal data."
        ),
        log_retrieval_sources=(
            "The marketplace, product ID and review batch ID behind every summary are logged with it."
        ),
        log_tool_execution="No tools: the model summarises review batches and cannot call anything.",
        log_exceptions=(
            "The e-commerce analytics lead approves exceptions in the workspace's change log, for 30 days at most."
        ),
        risks=(
            DemoRisk(
                title="Licence does not cover the EU",
                category="legal",
                description="The Tencent Hunyuan Community License is not licensed in the EU.",
                mitigations="Deployed and used in Singapore only; EU teams excluded in the approved purpose.",
                inherent=(3, 4),
                residual=(1, 4),
            ),
            DemoRisk(
                title="Vendor listed under US DoD Section 1260H",
                category="vendor",
                description="Tencent is on the 1260H list; not a sanction, but customers and partners may ask.",
                mitigations="Self-hosted weights, nothing paid to the vendor; Gemini 2.5 Pro documented as fallback.",
                inherent=(3, 3),
                residual=(2, 3),
            ),
        ),
        rounds=(
            DemoRound(
                signoffs=(
                    *all_approve(Function.PRIVACY, Function.SECURITY, Function.PROCUREMENT),
                    approve_with_conditions(
                        Function.LEGAL,
                        conditions="The model is deployed and used outside the EU only.",
                        comment="The Tencent Hunyuan Community License does not cover the EU.",
                    ),
                ),
            ),
        ),
        afterwards=DemoAfterwards(
            verb="revoke",
            by="executive",
            reason=(
                "Executive decision: no production dependency on vendors on the US DoD Section 1260H list while "
                "our US public-sector bids are open. Tencent is listed; the team moves to an unlisted vendor."
            ),
        ),
        status="revoked",
    ),
)
