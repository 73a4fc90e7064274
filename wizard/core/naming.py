"""Provides the names the wizard derives for cloud resources that must agree between Python and the templates.

The Terraform remote-state bucket is the one name that both the generated `infra/bootstrap/` (which creates it)
and `wizard preflight` (which checks whether it is free) compute, so the scheme lives here, once:

    {prefix}-tfstate-{account_id}-{region}

`prefix` is `project.name`, cut so that the whole name fits the 63-character S3 limit for the region's length
(the 12-digit account id is fixed), with a trailing '-' removed. The templates receive `prefix` from the render
context (`state_bucket_prefix(answers)`) and append `-tfstate-${account_id}-${region}` in HCL, where the account
id is known; the region is `platform.region`. Bucket names are global, so the account id and region make
collisions with other people's buckets unlikely, and the name says whose state it holds.
"""

from __future__ import annotations

from wizard.core.answers import Answers

S3_BUCKET_MAX = 63
ACCOUNT_ID_LENGTH = 12
STATE_BUCKET_INFIX = "-tfstate-"


def state_bucket_prefix(answers: Answers) -> str:
    """Return the project part of the state bucket name, shortened so the full name fits 63 characters."""
    region = answers.platform.region
    room = S3_BUCKET_MAX - len(STATE_BUCKET_INFIX) - ACCOUNT_ID_LENGTH - 1 - len(region)
    return answers.project.name[:room].rstrip("-")


def state_bucket_name(answers: Answers, account_id: str) -> str:
    """Return the S3 bucket that holds the Terraform state: `{prefix}-tfstate-{account_id}-{region}`."""
    return f"{state_bucket_prefix(answers)}{STATE_BUCKET_INFIX}{account_id}-{answers.platform.region}"
