// A small Flux repository (path → text) the Flux unit and LSP tests use: one cluster, apps, infrastructure,
// secrets, image automation, with seeded mistakes. Line numbers matter to the tests.
export const RECIPIENT = 'age1helqcqsh9464r8chnwc2fzj8uv7vr5ntnsft0tn45v2xtz0hpfwq98cmsg';

export const REPO: Record<string, string> = {
  '.sops.yaml': `creation_rules:
  - path_regex: secrets/.*\\.yaml$
    encrypted_regex: ^(data|stringData)$
    age: ${RECIPIENT}
`,
  'clusters/prod/apps.yaml': `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  timeout: 5m
  retryInterval: 1m
  dependsOn:
    - name: infra
  sourceRef:
    kind: GitRepository
    name: flux-system
  path: ./apps/prod
  prune: true
  postBuild:
    substitute:
      cluster_env: prod
      bad-name: x
    substituteFrom:
      - kind: ConfigMap
        name: cluster-vars
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: infra
  namespace: flux-system
spec:
  interval: 10m
  timeout: 5m
  retryInterval: 1m
  dependsOn:
    - name: apps
  sourceRef:
    kind: GitRepository
    name: flux-system
  path: ./infra
  prune: true
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ghost
  namespace: flux-system
spec:
  interval: 10m
  timeout: 5m
  retryInterval: 1m
  sourceRef:
    kind: GitRepository
    name: flux-system
  path: ./nope
  prune: false
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: secrets
  namespace: flux-system
spec:
  interval: 10m
  sourceRef:
    kind: GitRepository
    name: flux-system
  path: ./secrets
  prune: false
  decryption:
    provider: sops
    secretRef:
      name: sops-age
`,
  'clusters/prod/extra.yaml': `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: wrongkind
  namespace: flux-system
spec:
  interval: 10m
  timeout: 5m
  retryInterval: 1m
  sourceRef:
    kind: HelmRepository
    name: charts
  path: ./apps/prod
  prune: false
`,
  'clusters/prod/vars.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: cluster-vars
  namespace: flux-system
data:
  region: eu-west-1
`,
  'apps/prod/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: apps
resources:
  - deploy.yaml
  - missing.yaml
  - ../../lib
`,
  'apps/prod/deploy.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-\${cluster_env}
spec:
  replicas: 1
  selector:
    matchLabels:
      app: app
  template:
    metadata:
      labels:
        region: \${region}
        zone: \${zone}
        tier: \${tier:=web}
    spec:
      containers:
        - name: app
          image: ghcr.io/org/app:1.0.0 # {"$imagepolicy": "flux-system:app"}
        - name: sidecar
          # {"$imagepolicy": "flux-system:app"}
          image: ghcr.io/org/sidecar:1.0.0
        - name: other
          image: ghcr.io/org/other:1.0.0 # {"$imagepolicy": "flux-system:gone"}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: raw
  annotations:
    kustomize.toolkit.fluxcd.io/substitute: disabled
data:
  script: echo \${anything
`,
  'lib/x.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: lib
`,
  'infra/crds.yaml': `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions: []
`,
  'infra/release.yaml': `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: podinfo
spec:
  interval: 10m
  chart:
    spec:
      chart: podinfo
      version: ">=1.0.0 <<2"
      sourceRef:
        kind: HelmRepository
        name: podinfo
  install:
    remediation:
      retries: 3
  upgrade:
    remediation:
      retries: 3
`,
  'infra/images.yaml': `apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageRepository
metadata:
  name: app
  namespace: flux-system
spec:
  image: ghcr.io/org/app
  interval: 30s
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImagePolicy
metadata:
  name: app
  namespace: flux-system
spec:
  imageRepositoryRef:
    name: app
  policy:
    semver:
      range: ">=1.0.0 <2.0.0"
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageUpdateAutomation
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 30m
  sourceRef:
    kind: GitRepository
    name: flux-system
  update:
    path: ./apps
`,
  'infra/sealed.yaml': `apiVersion: v1
kind: Secret
metadata:
  name: sealed
  namespace: flux-system
data:
  token: ENC[AES256_GCM,data:abc=,iv:def=,tag:ghi=,type:str]
sops:
  mac: ENC[AES256_GCM,data:abc=,iv:def=,tag:ghi=,type:str]
  lastmodified: "2025-01-01T00:00:00Z"
  version: 3.10.2
`,
  'secrets/plain.yaml': `apiVersion: v1
kind: Secret
metadata:
  name: plain
  namespace: flux-system
stringData:
  password: hunter2
`,
};
