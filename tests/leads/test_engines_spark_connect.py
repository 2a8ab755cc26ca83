"""`score --engine spark --spark-master sc://host:port`: through Spark Connect, the same answer
lead by lead as the vectorized scorer, in the list's order. The test starts its own Spark Connect
server (the Connect plugin shipped in pyspark's jars, on a free local port, in a process of its
own): nothing is fetched. Skipped when pyspark, its Connect client (grpcio) or Java is missing —
except under CI (CI=true)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest
from engines_support import scored, text
from leads_support import AS_OF, REPO, differences, spark_available

from workbook.cli import main
from workbook.leads import score_leads
from workbook.leads.synthetic import generate_leads

pytestmark = [
    pytest.mark.spark,
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
]

SERVER = """
import sys
from pyspark.sql import SparkSession
spark = (SparkSession.builder.master("local[2]")
         .config("spark.plugins", "org.apache.spark.sql.connect.SparkConnectPlugin")
         .config("spark.connect.grpc.binding.port", sys.argv[1]).config("spark.ui.enabled", "false")
         .config("spark.ui.showConsoleProgress", "false").config("spark.sql.shuffle.partitions", "2")
         .getOrCreate())
print("ready", flush=True)
sys.stdin.readline()  # until the test closes it
spark.stop()
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def address():
    ok, reason = spark_available()
    if ok:
        try:
            import grpc  # noqa: F401
        except ImportError:
            ok, reason = False, "the Spark Connect client (grpcio, pip install -r requirements-spark.txt) is missing"
    if not ok:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the Spark Connect tests must run under CI but cannot: {reason}")
        pytest.skip(reason)
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(port)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        if server.stdout.readline().strip() != "ready":  # the server is up, or its process ended
            pytest.fail(f"the Spark Connect server did not start (exit code {server.wait()})")
        yield f"sc://localhost:{port}"
    finally:
        server.stdin.close()
        try:
            server.wait(timeout=120)
        except subprocess.TimeoutExpired:
            server.kill()


def test_scoring_through_spark_connect_gives_the_same_answer(address, tmp_path, all_kinds):
    leads = generate_leads(all_kinds, 900, as_of=AS_OF, seed=17, wide_numbers=True)
    leads.to_csv(tmp_path / "l.csv", index=False)
    leads.to_parquet(tmp_path / "l.parquet", index=False)
    expected = score_leads(all_kinds, leads, AS_OF).frame
    for path in (tmp_path / "l.csv", tmp_path / "l.parquet"):
        got, run = scored(all_kinds, path, "spark", AS_OF, batch_rows=250, spark_master=address)
        assert text(got["Lead ID"]) == text(leads["Lead ID"]), path.suffix  # the list's order
        assert differences(expected, got) == {}, path.suffix
        assert run.tally.rows == 900 and run.engine == "spark"


def test_the_command_line_through_spark_connect(address, tmp_path, sales, capsys):
    import pandas as pd

    leads = generate_leads(sales, 400, as_of=AS_OF, seed=18, wide_numbers=True)
    leads.to_csv(tmp_path / "l.csv", index=False)
    code = main(["score", str(REPO / "scenarios" / "sales_automation.yaml"), str(tmp_path / "l.csv"), "-o",
                 str(tmp_path / "out.parquet"), "--engine", "spark", "--spark-master", address,
                 "--spark-staging", str(tmp_path), "--as-of", AS_OF.isoformat()])
    _, err = capsys.readouterr()
    assert code == 0 and "scored 400 leads" in err
    written = pd.read_parquet(tmp_path / "out.parquet")
    assert differences(score_leads(sales, leads, AS_OF).frame, written) == {}
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("lsw-spark-")] == []  # staging cleaned up
