{{/* The objects' base name: the release name, or <release>-arc-runner-portal. */}}
{{- define "portal.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 50 | trimSuffix "-" -}}
{{- else if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "portal.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "portal.labels" -}}
{{ include "portal.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "portal.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{/* uid 1000 is the image's "node" user; numeric so that runAsNonRoot can verify it. */}}
{{- define "portal.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 1000
runAsGroup: 1000
fsGroup: 1000
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "portal.containerSecurityContext" -}}
runAsNonRoot: true
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "portal.checks" -}}
{{- if and (eq .Values.rbac.scope "namespaces") .Values.rbac.createNamespaces -}}
{{- fail "rbac.createNamespaces needs rbac.scope=cluster: a namespace the portal creates has no binding of rbac.scope=namespaces" -}}
{{- end -}}
{{- if and (eq .Values.rbac.scope "cluster") .Values.rbac.runnerNamespaces -}}
{{- fail "rbac.runnerNamespaces is for rbac.scope=namespaces; with scope=cluster the permissions hold everywhere already" -}}
{{- end -}}
{{- end -}}
