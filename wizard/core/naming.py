"""Provides the names the wizard derives for cloud resources that must agree between Python and the templates.

The Terraform remote-state bucket is the one name that the generated `infra/bootstrap/` (which creates it), the
environments' `backend.hcl`, the CI roles and `wizard preflight` (which checks whether it is free) all compute:

    {project.name}-tfstate-{account_id}

A project name has at most 40 characters, so the name has at most 61, within S3's 63-character limit. Bucket
names are global: the account id makes collisions with other people's buckets unlikely and says whose state it
holds. One bucket per account holds every environment's state under `{project}/{env}/terraform.tfstate`.
A test renders `infra/bootstrap` and checks the Terraform builds the same name.
"""

from __future__ import annotations

from wizard.core.answers import Answers

S3_BUCKET_MAX = 63
STATE_BUCKET_INFIX = "-tfstate-"
LOG_BUCKET_INFIX = "-tflogs-"
"""infra/bootstrap also creates the access-log bucket of the state bucket: `{project}-tflogs-{account_id}`."""


def state_bucket_name(answers: Answers, account_id: str) -> str:
    """Return the S3 bucket that holds the Terraform state: `{project}-tfstate-{account_id}`."""
    return f"{answers.project.name}{STATE_BUCKET_INFIX}{account_id}"


def log_bucket_name(answers: Answers, account_id: str) -> str:
    """Return the access-log bucket of the state bucket: `{project}-tflogs-{account_id}` (infra/bootstrap)."""
    return f"{answers.project.name}{LOG_BUCKET_INFIX}{account_id}"
