# The baseline for Lambda init: what a Python function's init does before its first
# invocation (import boto3, build a Step Functions client), then the runtime's first
# GET /next. Real Python runtimes add their own bootstrap on top, so this flatters Python.
import os
import urllib.request

import boto3

client = boto3.client("stepfunctions")
api = os.environ["AWS_LAMBDA_RUNTIME_API"]
urllib.request.urlopen(f"http://{api}/2018-06-01/runtime/invocation/next")
