"""The first eight demo requests."""

from demo.data.people import CHECKLIST_REVIEWERS
from demo.data.requests import (
    DemoEdit,
    DemoRisk,
    DemoRound,
    DemoUseCase,
    all_approve,
    approve,
    approve_with_conditions,
    reject,
    request_changes,
)
from governance.roles import Function

FIRST: tuple[DemoUseCase, ...] = (
    DemoUseCase(
        title="Code completion and review assistant (self-hosted Qwen2.5-Coder)",
        owner="owner",
        department="Platform Engineering",
        model="Qwen2.5-Coder-32B-Instruct",
        deployment_mode="on_premises",
        hosting_country="DE",
        purpose=(
            "Give developers code completion, explanations and review suggestions in the IDE. The open-weight "
            "model runs on our own GPU cluster, so source code never leaves our network; it was chosen for its "
            "coding quality and because it can be self-hosted."
        ),
        approved_purpose=(
            "Code completion, explanation and review suggestions for internal repositories, served through the "
            "internal model gateway to the IDE plugin. Suggestions are advisory: a developer reviews and "
            "commits every change."
        ),
        prohibited_uses=(
            "No autonomous commits or merges. No secrets, credentials or customer data in prompts. No use on "
            "repositories classified export-controlled. No generation of cryptographic or authentication code "
            "without a security review."
        ),
        data_categories=("source-code", "internal-documents"),
        fallbacks=("Mistral Small 3",),
        log_contents="Prompts and completions with repository, user ID and model version; the gateway masks secrets.",
        log_location="Model gateway log store (OpenSearch), Frankfurt data centre",
        log_access="Platform engineering on-call and security operations",
        log_retention_days=90,
        log_prompt_protection=(
            "The gateway's secret scanner masks keys, tokens and passwords before a prompt is stored; prompts "
            "from repositories marked restricted are not logged, only their hashes."
        ),
        log_retrieval_sources=(
            "No retrieval: completions draw only on the open file the developer sends; the repository and commit "
            "are logged with each request."
        ),
        log_tool_execution="No tools: the model only returns completions and review comments.",
        log_exceptions=(
            "The platform engineering lead approves any gap in logging (e.g. during a log-store migration) as a "
            "change ticket, for 14 days at most; security operations is told."
        ),
        risks=(
            DemoRisk(
                title="Insecure or incorrect code suggestions accepted without review",
                category="quality",
                description="Generated code can compile and still be wrong or vulnerable.",
                mitigations="Suggestions only; mandatory code review and SAST in CI; short developer training.",
                inherent=(4, 3),
                residual=(2, 3),
            ),
            DemoRisk(
                title="Tampered or back-doored model weights",
                category="security",
                description="Weights downloaded from a mirror could differ from the publisher's release.",
                mitigations=(
                    "Weights taken from the publisher's official repository, SHA-256 pinned; safetensors only; "
                    "served in a segment without outbound internet."
                ),
                inherent=(2, 5),
                residual=(1, 4),
            ),
            DemoRisk(
                title="Secrets pasted into prompts end up in logs",
                category="data",
                description="Developers paste configuration files that contain keys or passwords.",
                mitigations="The gateway masks secrets with the rules of our pre-commit scanner; logs are restricted.",
                inherent=(3, 4),
                residual=(2, 3),
            ),
        ),
        answers={
            "SEC-3": ("partial", "Evaluated on our Java and Python repositories; Kotlin and Terraform still running."),
            "DATA-4": ("partial", "Masking verified for API keys and passwords; private-key patterns are a condition."),
            "DEP-1": (
                "yes",
                "Apache-2.0 confirmed for the 32B coder model (Qwen2.5 3B and 72B have other licences); "
                "weights hosted in our Frankfurt data centre.",
            ),
        },
        rounds=(
            DemoRound(
                signoffs=(
                    approve(Function.PROCUREMENT, "Apache-2.0 weights from the publisher's repository; nothing paid."),
                    approve(Function.PRIVACY),
                    approve(Function.LEGAL),
                    approve_with_conditions(
                        Function.SECURITY,
                        conditions=(
                            "Private-key and certificate patterns are added to the gateway's secret masking before "
                            "go-live, and masking is re-tested after every gateway release."
                        ),
                        comment="DATA-4 is partial: API keys and passwords are masked, private keys are not yet.",
                    ),
                ),
            ),
        ),
        status="approved_with_conditions",
    ),
    DemoUseCase(
        title="Marketing copy first drafts (DeepSeek API)",
        eu_ai_act_class="limited",
        owner="owner",
        department="Marketing",
        model="DeepSeek-V3",
        deployment_mode="hosted_api",
        hosting_country="CN",
        purpose=(
            "Draft first versions of product blog posts, social posts and campaign copy in English and Chinese "
            "from material we have already published. Chosen for its low token price and strong Chinese."
        ),
        approved_purpose=(
            "First drafts of marketing copy built only from published material; a marketer edits and approves "
            "every draft before publication."
        ),
        prohibited_uses=(
            "No unpublished product information, customer data, prices under negotiation or employee data in "
            "prompts. No automated publishing. No health or financial claims without legal review."
        ),
        data_categories=("public-content",),
        fallbacks=("GPT-4o", "Claude Sonnet 4.5"),
        autonomy="human_reviewed",
        log_contents="Prompts, drafts, user and campaign ID.",
        log_location="Marketing content platform (EU tenant)",
        log_access="Marketing operations leads and internal audit",
        log_retention_days=365,
        log_prompt_protection=(
            "Only public briefs may be prompted; the content platform blocks customer names and unreleased "
            "product names before the call, and logs what it blocked."
        ),
        log_retrieval_sources=(
            "No retrieval: drafts are written from the brief alone; the brief's campaign ID is logged with each draft."
        ),
        log_tool_execution="No tools: the API is called for text generation only.",
        log_exceptions=(
            "Any exception to this plan is approved by the marketing operations lead and the CISO together, "
            "recorded in the campaign file, and lapses at campaign end."
        ),
        risks=(
            DemoRisk(
                title="Vendor added to a US export-control list during the contract",
                category="vendor",
                description=(
                    "Reports of June 2026 say an Entity List addition for DeepSeek was approved but not published."
                ),
                mitigations=(
                    "Monthly listing check; pay-as-you-go with no commitment; the model gateway switches to a "
                    "fallback model the same day."
                ),
                inherent=(4, 4),
                residual=(3, 4),
            ),
            DemoRisk(
                title="Prompts processed in a jurisdiction with broad government access",
                category="data",
                description="The hosted API runs in China; whatever is sent must be fit to publish.",
                mitigations="Only published content allowed; a DLP rule blocks prompts with internal markers.",
                inherent=(4, 3),
                residual=(2, 2),
            ),
            DemoRisk(
                title="Censored or slanted output on sensitive topics",
                category="quality",
                description="The model may refuse or slant answers on political topics.",
                mitigations="Editorial review of every draft; sensitive topics excluded from the brief.",
                inherent=(3, 3),
                residual=(2, 2),
            ),
        ),
        answers={
            "DATA-5": ("partial", "Retention of API prompts not yet confirmed in writing; asked the vendor."),
            "DEP-1": ("yes", "DeepSeek-V3 via the vendor's API; weights licence allows commercial use."),
            "OPS-1": ("yes", "Same prompts run on GPT-4o and Claude through the gateway; switch tested."),
        },
        # Privacy, security and the executive (the highest residual risk is high) have not signed yet.
        rounds=(
            DemoRound(
                signoffs=(
                    approve_with_conditions(
                        Function.LEGAL,
                        conditions=(
                            "Only content already published on our website goes into prompts, and the DLP rule that "
                            "blocks internal markers stays on at the gateway."
                        ),
                        comment=(
                            "Acceptable for published material only, given where the API is hosted. Prompt "
                            "retention is not yet confirmed in writing (DATA-5)."
                        ),
                    ),
                    approve(Function.PROCUREMENT, "Pay-as-you-go, no commitment; the switch to GPT-4o was tested."),
                ),
            ),
        ),
        status="in_review",
    ),
    DemoUseCase(
        title="Korean customer support reply suggestions (HyperCLOVA X)",
        owner="owner2",
        department="Customer Service Korea",
        model="HyperCLOVA X",
        deployment_mode="hosted_api",
        hosting_country="KR",
        purpose=(
            "Suggest Korean replies to customer e-mails and chats for the Seoul support team. Global models "
            "tested weaker on Korean honorifics and our product terms; the API is hosted in Korea, which keeps "
            "customer data in the country."
        ),
        approved_purpose=(
            "Reply suggestions and hand-over summaries for Korean-language support tickets, shown to an agent "
            "who edits and sends them."
        ),
        prohibited_uses=(
            "No automatic sending. No decisions on refunds, credit or account closure. No resident registration "
            "numbers or card data in prompts. No customers outside Korea."
        ),
        data_categories=("customer-records", "internal-documents"),
        fallbacks=("HyperCLOVAX-SEED-Think-14B",),
        autonomy="human_reviewed",
        tool_use_detail="Read-only retrieval from the support knowledge base; no write actions.",
        log_contents="Ticket ID, prompt, retrieved articles, suggestion and the reply the agent sent.",
        log_location="Support platform, Seoul region",
        log_access="Support team leads; the privacy office on request",
        log_retention_days=180,
        log_prompt_protection=(
            "Resident registration numbers, card numbers and phone numbers are masked before the prompt leaves "
            "the support platform; logs hold the masked prompt only."
        ),
        log_retrieval_sources=(
            "The IDs and versions of the knowledge-base articles retrieved for each suggestion are logged with "
            "the ticket ID."
        ),
        log_tool_execution=(
            "Every knowledge-base lookup is logged with its query, the articles returned and the ticket ID; the "
            "integration has no write actions to record."
        ),
        log_exceptions=(
            "The support director approves exceptions with the privacy office's consent, in the ticketing system,"
            " for 30 days at most."
        ),
        risks=(
            DemoRisk(
                title="Customer personal data retained by the vendor",
                category="data",
                description="Ticket text contains names, phone numbers and order details.",
                mitigations="Identifiers masked before the call; data processing agreement with retention terms.",
                inherent=(3, 4),
                residual=(2, 3),
            ),
            DemoRisk(
                title="Wrong or impolite reply reaches a customer",
                category="quality",
                description="A suggestion with the wrong register or a wrong policy could be sent as is.",
                mitigations="Agents edit and send every reply; weekly QA sample of 5% of tickets.",
                inherent=(3, 3),
                residual=(2, 2),
            ),
            DemoRisk(
                title="API outage during peak season",
                category="operational",
                description="Support volume doubles in November.",
                mitigations="Agents fall back to reply templates; the SEED 14B model is the documented fallback.",
                inherent=(2, 3),
                residual=(2, 2),
            ),
        ),
        answers={
            "SEC-3": ("yes", "Rated higher than two global models by Korean-speaking agents on 300 real tickets."),
        },
        rounds=(
            DemoRound(
                answered_by=CHECKLIST_REVIEWERS,
                answers={
                    "DATA-3": (
                        "partial",
                        "Phone and card numbers are masked; resident registration numbers typed in free text are not.",
                    ),
                },
                signoffs=(
                    approve(Function.LEGAL),
                    approve(Function.PROCUREMENT),
                    approve_with_conditions(
                        Function.SECURITY,
                        conditions=(
                            "Retrieval stays read-only: the service account gets no write scope on the knowledge base."
                        ),
                        comment="Tool use tested (SEC-4); read-only retrieval only.",
                    ),
                    request_changes(
                        Function.PRIVACY,
                        "Resident registration numbers typed in free text reach the API unmasked, and the support "
                        "platform keeps the unmasked prompt for 180 days. Mask them before the call, log the masked "
                        "prompt only, and shorten the log retention.",
                    ),
                ),
            ),
            DemoRound(
                edit=DemoEdit(
                    reason="Privacy's changes: only masked prompts are logged, for 90 days",
                    fields={
                        "log_contents": (
                            "Ticket ID, masked prompt, retrieved articles, suggestion and the reply the agent sent."
                        ),
                        "log_retention_days": 90,
                    },
                ),
                answers={
                    "DATA-3": ("yes", "Masking of phone, resident registration and card numbers tested on 500 tickets"),
                },
                signoffs=(
                    approve(Function.PRIVACY, "Masking covers resident registration numbers now; logs kept 90 days."),
                    *all_approve(Function.LEGAL, Function.PROCUREMENT),
                    approve_with_conditions(
                        Function.SECURITY,
                        conditions=(
                            "Retrieval stays read-only: the service account gets no write scope on the knowledge base."
                        ),
                        comment="Tool use re-tested with the masked prompts; still read-only retrieval.",
                    ),
                ),
            ),
        ),
        status="approved_with_conditions",
    ),
    DemoUseCase(
        title="Russian-language supplier document translation (GigaChat API)",
        owner="owner",
        department="Regional Operations (CIS)",
        model="GigaChat Pro (API)",
        deployment_mode="hosted_api",
        hosting_country="RU",
        purpose=(
            "Translate Russian-language supplier contracts, invoices and correspondence into English for the "
            "regional team. Requested because GigaChat is strong in Russian and the local team knows it."
        ),
        approved_purpose="Translation of Russian supplier documents into English, checked by a bilingual employee.",
        prohibited_uses="No personal data; no documents of sanctioned counterparties; no payment instructions.",
        data_categories=("third-party-confidential", "financial-records"),
        fallbacks=("GPT-4o",),
        autonomy="human_reviewed",
        log_contents="Document ID, prompt and translation.",
        log_location="Regional file share",
        log_access="Regional operations team",
        log_retention_days=30,
        log_prompt_protection=(
            "Supplier names and bank details are replaced by placeholders before a document is sent; the mapping "
            "stays on the regional file share."
        ),
        log_retrieval_sources="No retrieval: each translation uses only the document sent; its document ID is logged.",
        log_tool_execution="No tools: the API translates text only.",
        log_exceptions=(
            "The regional operations manager approves exceptions by e-mail to compliance; no written limit on "
            "their duration yet."
        ),
        risks=(
            DemoRisk(
                title="Payments to a blocked person (OFAC 50% rule)",
                category="legal",
                description=(
                    "Sberbank is on the SDN List; a paid API contract with its subsidiary would likely be a "
                    "dealing with blocked property."
                ),
                mitigations="None that makes a paid contract permissible; the ownership chain could not be cleared.",
                inherent=(5, 5),
                residual=(4, 5),
            ),
            DemoRisk(
                title="Confidential supplier terms processed in Russia",
                category="data",
                description="Contracts carry prices and terms received under confidentiality clauses.",
                mitigations="Redaction considered; it would remove the parts that need translating.",
                inherent=(4, 4),
                residual=(4, 3),
            ),
            DemoRisk(
                title="Service lost through sanctions escalation",
                category="operational",
                description="Access or payment could stop without notice.",
                mitigations="GPT-4o documented as fallback.",
                inherent=(4, 3),
                residual=(3, 3),
            ),
        ),
        answers={
            "GOV-3": ("partial", "Purpose documented; legal does not accept it with this vendor."),
            "DATA-5": ("no", "No contract possible while the vendor's parent is on the SDN List."),
            "DATA-3": ("no", "Confidential supplier terms would be sent to a vendor in Russia unredacted."),
            "DEP-1": ("no", "Vendor is a Sberbank subsidiary; Sberbank is SDN-listed. Ownership share not cleared."),
            "DEP-2": ("no", "No integration with our identity provider was offered or tested."),
        },
        # Compliance signs because the vendor is sanctioned and the hosting country restricted. With a
        # critical residual risk nobody may approve; one reject ends the round.
        rounds=(
            DemoRound(
                answered_by=CHECKLIST_REVIEWERS,
                signoffs=(
                    reject(
                        Function.COMPLIANCE,
                        "Sberbank is on the OFAC SDN List and SaluteDevices' ownership share could not be cleared: "
                        "under the 50% rule a paid contract would likely be a dealing in blocked property. The "
                        "highest residual risk is critical (20) and cannot be approved. Choose a model from a "
                        "vendor that is not listed.",
                    ),
                ),
            ),
        ),
        status="rejected",
    ),
    DemoUseCase(
        title="Russian-language search over the regional knowledge base (self-hosted YandexGPT 5 Lite)",
        owner="owner",
        department="Regional Operations (CIS)",
        model="YandexGPT-5-Lite-8B",
        deployment_mode="on_premises",
        hosting_country="DE",
        purpose=(
            "Answer employees' Russian-language questions over internal manuals and policies with retrieval. "
            "The 8B model runs on our own servers; nothing is sent to Yandex and nothing is paid to it."
        ),
        approved_purpose="Answers for employees over the regional knowledge base, citing the source documents.",
        prohibited_uses=(
            "No customer or HR data in the index. No answers shown to customers. No legal or tax advice without "
            "a cited source and a human check."
        ),
        data_categories=("internal-documents",),
        fallbacks=("Qwen2.5-72B-Instruct",),
        tool_use_detail="Read-only search over the document index.",
        log_contents="Question, retrieved passages, answer and user ID.",
        log_location="Knowledge platform database, Frankfurt data centre",
        log_access="Knowledge management team",
        log_retention_days=180,
        log_prompt_protection=(
            "Questions are logged with the user's ID pseudonymised; documents marked confidential are excluded "
            "from the index, so their text never enters a prompt."
        ),
        log_retrieval_sources=(
            "The document ID, version and passage offsets of every retrieved passage are logged with the answer "
            "that cited them."
        ),
        log_tool_execution=(
            "Every search the model runs over the index is logged with its query, the results and the user's "
            "pseudonymous ID."
        ),
        log_exceptions=(
            "The knowledge management lead approves any exception, recorded in the platform's change log, for 30 "
            "days at most; the DPO is told."
        ),
        risks=(
            DemoRisk(
                title="Licence conditions limit commercial use",
                category="legal",
                description="The YandexGPT-5-Lite-8B licence has custom terms for commercial use.",
                mitigations="Legal reviewing the licence conditions; internal use only meanwhile.",
                inherent=(3, 4),
                residual=(3, 3),
            ),
            DemoRisk(
                title="Answers not grounded in the documents",
                category="quality",
                description="An 8B model can invent policy details.",
                mitigations="Answers must cite retrieved passages; the assistant says so when it finds nothing.",
                inherent=(3, 3),
                residual=(2, 2),
            ),
            DemoRisk(
                title="Russian vendor: sanctions picture may change",
                category="vendor",
                description="No company-level US/EU/UK listing found; Ukraine sanctioned Yandex Ukraine.",
                mitigations="Self-hosted weights, no payment to the vendor; quarterly listing re-check.",
                inherent=(2, 4),
                residual=(2, 3),
            ),
        ),
        answers={
            "DATA-2": ("yes", "Index limited to documents classified internal; confidential folders excluded."),
            "SEC-2": ("partial", "Injection via uploaded documents tested; leakage across departments still open."),
            "SEC-1": ("partial", "Hallucination rate measured on 200 questions; unsafe-output tests scheduled."),
        },
        # Security has answered but not signed: its leakage and unsafe-output tests are still running.
        rounds=(
            DemoRound(
                answered_by=(Function.PRIVACY, Function.SECURITY),
                signoffs=(approve(Function.PRIVACY, "Internal documents only; no customer or HR data in the index."),),
            ),
        ),
        status="in_review",
    ),
    DemoUseCase(
        title="Korean contract clause extraction (EXAONE 3.5)",
        owner="owner2",
        department="Legal Korea",
        model="EXAONE-3.5-32B-Instruct",
        deployment_mode="on_premises",
        hosting_country="KR",
        purpose=(
            "Extract term, liability, termination and governing-law clauses from Korean supplier contracts into "
            "the contract register. EXAONE is strong in Korean and runs on one GPU server in the Seoul office."
        ),
        approved_purpose="Clause extraction into the contract register, checked by a paralegal.",
        prohibited_uses="No legal advice to the business; no contracts outside the supplier register.",
        data_categories=("third-party-confidential", "internal-documents"),
        fallbacks=("HyperCLOVAX-SEED-Think-14B",),
        log_contents="Contract ID, extracted fields and the paralegal's corrections.",
        log_location="Contract management system, Seoul",
        log_access="Legal Korea team",
        log_retention_days=365,
        log_prompt_protection=(
            "Contracts stay in the contract management system; logs keep the contract ID and extracted fields, "
            "not the full clause text, and counterparties' personal data is masked."
        ),
        log_retrieval_sources=(
            "The contract ID, version and page of each clause the model read are logged with the extracted field."
        ),
        log_tool_execution="No tools: the model returns extracted fields; the paralegal writes them to the register.",
        log_exceptions=(
            "The head of Legal Korea approves exceptions in the contract management system, for one contract "
            "batch at a time."
        ),
        risks=(
            DemoRisk(
                title="Licence forbids commercial use",
                category="legal",
                description="EXAONE AI Model License Agreement 1.1 - NC allows non-commercial research use only.",
                mitigations="Evaluation only, until a commercial licence is agreed or the model is replaced.",
                inherent=(5, 4),
                residual=(4, 4),
            ),
            DemoRisk(
                title="Clauses extracted wrongly into the register",
                category="quality",
                description="A missed termination clause could cost a renewal window.",
                mitigations="A paralegal checks every extraction against the contract.",
                inherent=(3, 3),
                residual=(2, 3),
            ),
        ),
        answers={
            "GOV-3": ("partial", "Approved purpose is commercial use, which the model licence does not allow."),
            "DEP-1": ("no", "EXAONE AI Model License Agreement 1.1 - NC: non-commercial research only."),
            "OPS-1": ("partial", "HyperCLOVAX SEED named as fallback; its licence terms not yet reviewed."),
        },
        rounds=(
            DemoRound(
                answered_by=(Function.LEGAL, Function.PROCUREMENT),
                signoffs=(
                    request_changes(
                        Function.LEGAL,
                        "The EXAONE licence (1.1 - NC) allows non-commercial research only, and filling our contract "
                        "register is commercial use. Agree a commercial licence with LG AI Research or propose a "
                        "model whose licence allows it, then resubmit.",
                    ),
                ),
            ),
        ),
        status="changes_requested",
    ),
    DemoUseCase(
        title="Internal writing and summarising assistant (Claude)",
        eu_ai_act_class="limited",
        owner="owner",
        department="Corporate IT",
        model="Claude Sonnet 4.5",
        deployment_mode="hosted_api",
        hosting_country="US",
        purpose=(
            "A chat assistant for every employee to draft, summarise and rewrite internal documents, reached "
            "through the SSO-protected model gateway."
        ),
        approved_purpose="Drafting, summarising and rewriting internal and public documents; the author owns the text.",
        prohibited_uses=(
            "No customer personal data, authentication data, health data or incident evidence. No decisions about "
            "people (hiring, performance). No content published without a person's review."
        ),
        data_categories=("internal-documents", "public-content"),
        fallbacks=("GPT-4o", "Gemini 2.5 Pro"),
        log_contents="Prompts and outputs with user ID and model version.",
        log_location="Model gateway log store, EU region",
        log_access="Corporate IT operations; security on incident",
        log_retention_days=90,
        log_prompt_protection=(
            "The gateway's data-loss-prevention rules block documents labelled confidential or restricted and "
            "mask personal data before the call; blocked prompts are logged as blocked, without their text."
        ),
        log_retrieval_sources=(
            "No retrieval: the assistant uses only the text the employee pastes or uploads; upload file names are"
            " logged."
        ),
        log_tool_execution="No tools: web search and code execution are switched off at the gateway.",
        log_exceptions=(
            "Corporate IT's service owner approves exceptions with security's agreement, as a change ticket, for "
            "30 days at most."
        ),
        risks=(
            DemoRisk(
                title="Confidential documents pasted into the assistant",
                category="data",
                description="Employees may paste documents above the approved classification.",
                mitigations="DLP on the gateway; classification banner in the UI; commercial terms reviewed by legal.",
                inherent=(4, 3),
                residual=(2, 3),
            ),
            DemoRisk(
                title="Confident but wrong summaries",
                category="quality",
                description="Summaries can drop caveats or invent figures.",
                mitigations="Advisory only; guidance to check figures against the source.",
                inherent=(3, 2),
                residual=(2, 2),
            ),
        ),
        rounds=(DemoRound(signoffs=all_approve()),),
        status="approved",
    ),
    DemoUseCase(
        title="Security alert triage and incident summaries (self-hosted Llama 3.1)",
        owner="owner",
        department="Security Operations",
        model="Llama 3.1 405B",
        deployment_mode="on_premises",
        hosting_country="DE",
        purpose=(
            "Summarise SIEM alerts, group related events and draft incident timelines for SOC analysts. "
            "Self-hosted because security logs and incident evidence may not leave our network."
        ),
        approved_purpose=(
            "Alert summaries, event grouping and draft timelines shown to a SOC analyst; the analyst decides "
            "every containment action."
        ),
        prohibited_uses=(
            "No automated containment, blocking or account disabling. No indicators sent to external services. "
            "No output used as evidence without analyst verification."
        ),
        data_categories=("security-logs", "incident-response-evidence"),
        fallbacks=("Mistral Small 3",),
        autonomy="human_reviewed",
        tool_use_detail="Read-only SIEM queries through a dedicated service account; no response actions.",
        log_contents="Every prompt, retrieved log excerpt, tool call and output, with analyst ID and case number.",
        log_location="SOC evidence store, separate from the SIEM",
        log_access="SOC leads and incident response; auditors on request",
        log_retention_days=400,
        log_prompt_protection=(
            "Prompts and outputs are stored encrypted in the SOC evidence store; credentials found in log "
            "excerpts are masked before they reach the model."
        ),
        log_retrieval_sources=(
            "Every retrieved log excerpt is logged with its SIEM event ID and index, so each summary can be "
            "traced to the events behind it."
        ),
        log_tool_execution=(
            "Every SIEM query the model issues is logged with the service account, the query text, the rows "
            "returned and the case number."
        ),
        log_exceptions=(
            "The SOC manager approves exceptions (e.g. a major incident needing a longer context) in the case "
            "record; the CISO reviews them weekly."
        ),
        risks=(
            DemoRisk(
                title="Unsupported conclusion triggers a harmful containment action",
                category="quality",
                description="An analyst under pressure acts on a confident but wrong summary.",
                mitigations=(
                    "Every action decided by an analyst; output labelled as draft; validated on 200 past cases; "
                    "no write tools."
                ),
                inherent=(4, 5),
                residual=(3, 4),
            ),
            DemoRisk(
                title="Prompt injection through attacker-controlled log content",
                category="security",
                description="Log lines are written by whoever triggered them, attackers included.",
                mitigations="Log content quoted as data; read-only tools; outputs never executed.",
                inherent=(4, 4),
                residual=(2, 4),
            ),
            DemoRisk(
                title="Exposure of incident evidence",
                category="data",
                description="Forensic material and case notes are among the most sensitive data we hold.",
                mitigations="Isolated segment without egress; evidence-store access controls apply to model logs.",
                inherent=(3, 5),
                residual=(1, 5),
            ),
        ),
        answers={
            "SEC-4": ("yes", "Service account limited to read queries; attempts to call other endpoints are refused."),
            "OPS-3": ("yes", "Analyst decides every action; summaries are marked as drafts."),
            "SEC-5": ("yes", "Known failure modes: merges unrelated alerts at night-time peaks; misreads IPv6 ranges."),
        },
        # The highest residual risk is high (12), so an executive signs as well.
        rounds=(
            DemoRound(
                signoffs=(
                    *all_approve(Function.LEGAL, Function.PRIVACY, Function.PROCUREMENT),
                    approve_with_conditions(
                        Function.SECURITY,
                        conditions=(
                            "Summaries are re-validated every quarter on a fresh sample of closed cases, with the "
                            "error rate reported to the SOC lead. Any write or response tool needs a new review."
                        ),
                        comment="Validated on 200 past cases with read-only tools; quality drifts as attacks change.",
                    ),
                    approve(
                        Function.EXECUTIVE,
                        "High residual risk accepted: an analyst decides every action and the model cannot act.",
                    ),
                ),
            ),
        ),
        status="approved_with_conditions",
    ),
)
