"""Tests the example model and loading it from a local path or S3."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest
from fastapi.testclient import TestClient
from moto import mock_aws

from service.main import create_app
from service.model import LogisticModel, ModelError, ModelLoader
from service.settings import EXAMPLE_MODEL, Settings, SettingsError


def test_the_example_model_loads_and_predicts() -> None:
    model = LogisticModel.load(EXAMPLE_MODEL)
    assert model.n_features == 4
    low = model.predict([-10.0, 10.0, -10.0, 0.0])
    high = model.predict([10.0, -10.0, 10.0, 0.0])
    assert (low.prediction, high.prediction) == (0, 1)
    assert low.probability < 0.01
    assert high.probability > 0.99
    assert high.model_version == model.version


def test_extreme_scores_do_not_overflow() -> None:
    model = LogisticModel.load(EXAMPLE_MODEL)
    assert model.predict([1e6, -1e6, 1e6, 0.0]).probability == 1.0
    assert model.predict([-1e6, 1e6, -1e6, 0.0]).probability == 0.0


def test_the_wrong_number_of_features_is_an_error() -> None:
    with pytest.raises(ValueError, match="expected 4 features"):
        LogisticModel.load(EXAMPLE_MODEL).predict([1.0])


def test_a_model_is_downloaded_from_s3(tmp_path: Path) -> None:
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="models-bucket")
        s3.put_object(Bucket="models-bucket", Key="v2/model.json", Body=EXAMPLE_MODEL.read_bytes())
        model = ModelLoader(tmp_path / "cache").load("s3://models-bucket/v2/model.json")
    assert model.version == LogisticModel.load(EXAMPLE_MODEL).version
    assert (tmp_path / "cache" / "model.json").is_file()


def test_a_missing_s3_object_is_a_model_error(tmp_path: Path) -> None:
    with mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="models-bucket")
        with pytest.raises(ModelError, match="could not download"):
            ModelLoader(tmp_path).load("s3://models-bucket/missing.json")


@pytest.mark.parametrize("uri", ["s3://", "s3://bucket-only", "s3://bucket/prefix/"])
def test_malformed_s3_uris_are_rejected(tmp_path: Path, uri: str) -> None:
    with pytest.raises(ModelError, match="s3://bucket/key"):
        ModelLoader(tmp_path).fetch(uri)


def test_a_missing_local_file_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="not found"):
        ModelLoader(tmp_path).load(str(tmp_path / "nope.json"))


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        json.dumps({"name": "m", "version": "1"}),
        json.dumps({"name": "m", "version": "1", "weights": [], "bias": 0}),
    ],
)
def test_an_invalid_model_file_is_a_model_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "model.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ModelError):
        LogisticModel.load(path)


def test_the_service_does_not_start_without_its_model(env: dict[str, str], tmp_path: Path) -> None:
    app = create_app(Settings.from_env({**env, "MODEL_URI": str(tmp_path / "missing.json")}))
    with pytest.raises(ModelError), TestClient(app):
        pass


def test_a_path_on_a_mounted_volume_is_a_valid_model_uri(
    env: dict[str, str], tmp_path: Path
) -> None:
    mounted = tmp_path / "models" / "model.json"
    mounted.parent.mkdir()
    mounted.write_bytes(EXAMPLE_MODEL.read_bytes())
    settings = Settings.from_env({**env, "MODEL_URI": str(mounted)})
    assert ModelLoader(settings.model_cache_dir).load(settings.model_uri).n_features == 4


@pytest.mark.parametrize(
    "uri",
    [
        "gs://models-bucket/model.json",
        "https://account.blob.core.windows.net/models/model.json?sv=2024&sig=SECRET-SIGNATURE",
        "file:///app/model/model.json",
    ],
)
def test_an_unsupported_model_uri_scheme_is_a_settings_error(env: dict[str, str], uri: str) -> None:
    with pytest.raises(SettingsError, match="MODEL_URI uses the unsupported scheme") as caught:
        Settings.from_env({**env, "MODEL_URI": uri})
    # Only the scheme is named: a signed URL's token must not reach the logs.
    assert "SECRET-SIGNATURE" not in str(caught.value)


@pytest.mark.parametrize("uri", ["s3://", "s3://bucket-only", "s3://bucket/prefix/"])
def test_a_malformed_s3_model_uri_is_a_settings_error(env: dict[str, str], uri: str) -> None:
    with pytest.raises(SettingsError, match="MODEL_URI"):
        Settings.from_env({**env, "MODEL_URI": uri})
