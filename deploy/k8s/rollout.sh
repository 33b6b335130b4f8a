#!/usr/bin/env bash
# Rolls out one overlay in order: migrate the database with the malipo-migrate Job, wait for it,
# then apply the apps. App pods only validate the schema, so they never race to migrate it.
#
# Usage: deploy/k8s/rollout.sh OVERLAY    (OVERLAY is test or production)
# Needs kubectl with access to the cluster and the Secret malipo-secrets in the overlay's namespace.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

overlay=${1:-}
if [[ $overlay != test && $overlay != production ]]; then
  echo "rollout: usage: $0 test|production" >&2
  exit 2
fi
dir=overlays/$overlay
namespace=$(kubectl kustomize "$dir" | sed -n 's/^  namespace: //p' | head -n 1)

if ! kubectl -n "$namespace" get secret malipo-secrets >/dev/null 2>&1; then
  echo "rollout: the Secret malipo-secrets is missing in namespace $namespace. Create it from deploy/k8s/malipo-secrets.env.example." >&2
  exit 1
fi

# A Job's pod template cannot change, so the previous rollout's Job goes first.
kubectl -n "$namespace" delete job malipo-migrate --ignore-not-found --wait=true
kubectl apply -k "$dir" -l app.kubernetes.io/component=migration
echo "rollout: waiting up to 10 minutes for the migration Job in namespace $namespace"
if ! kubectl -n "$namespace" wait --for=condition=complete job/malipo-migrate --timeout=600s; then
  echo "rollout: the migration did not complete; its log:" >&2
  kubectl -n "$namespace" logs job/malipo-migrate --tail=50 >&2 || true
  exit 1
fi

kubectl apply -k "$dir"
for app in api ussd-channel admin-ui; do
  kubectl -n "$namespace" rollout status deployment/malipo-$app --timeout=600s
done
echo "rollout: $overlay is rolled out in namespace $namespace"
