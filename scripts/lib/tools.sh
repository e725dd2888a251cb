# Where scripts/setup puts each tool, and the exact versions it installs. scripts/test sources
# this too, so both agree on every path.

ROOT="${ROOT:?set ROOT to the repository root before sourcing tools.sh}"
TOOLS_DIR="$ROOT/.tools"

# Test tools: the moto server for the AWS adapters, cfn-lint, schemathesis.
PY_VENV="$TOOLS_DIR/venv"
PY_PACKAGES=("moto[server]==5.2.5" "boto3==1.44.8" "cfn-lint==1.58.0" "schemathesis==4.32.5")

# aws-sam-cli pins its own cfn-lint, so it lives apart from the one above.
SAM_VENV="$TOOLS_DIR/sam"
SAM_PACKAGES=("aws-sam-cli==1.170.0")

# cargo-lambda brings zig (ziglang) in the same venv; its bin must be on PATH when it runs.
CARGO_LAMBDA_VENV="$TOOLS_DIR/cargo-lambda"
CARGO_LAMBDA_PACKAGES=("cargo-lambda==1.9.2")

# newman for the Postman collection, playwright-core (never playwright: it downloads
# browsers) to drive Debian's chromium.
NODE_DIR="$TOOLS_DIR/node"
NODE_PACKAGES=("newman@6.2.2" "playwright-core@1.65.1")

CHROMIUM=/usr/bin/chromium
