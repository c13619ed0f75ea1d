import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderTemplate } from '../support/helm-template.js';

const ctx = { Values: { name: 'x', empty: '', list: ['a', 'b'], map: { b: 2, a: 1 }, n: 0 }, Release: { Name: 'r' } };

test('the renderer follows Go template whitespace trimming and if/else/with/range', () => {
  assert.equal(renderTemplate('a:\n  {{- if .Values.name }}\n  b: {{ .Values.name }}\n  {{- end }}\nc: 1\n', ctx), 'a:\n  b: x\nc: 1\n');
  assert.equal(renderTemplate('{{ if .Values.empty }}yes{{ else }}no{{ end }}', ctx), 'no');
  assert.equal(renderTemplate('{{ if .Values.n }}yes{{ else }}no{{ end }}', ctx), 'no', '0 is false');
  assert.equal(renderTemplate('{{ with .Values.map }}{{ .a }}{{ end }}', ctx), '1');
  assert.equal(renderTemplate('{{ range .Values.list }}[{{ . }}]{{ end }}', ctx), '[a][b]');
  assert.equal(renderTemplate('x {{- /* note */ -}} y', ctx), 'xy');
});

test('functions: quote, default, not/and/or, toYaml | nindent, toJson with sorted keys, required', () => {
  assert.equal(renderTemplate('{{ .Values.name | quote }}', ctx), '"x"');
  assert.equal(renderTemplate('{{ .Values.empty | default "d" }}', ctx), 'd');
  assert.equal(renderTemplate('{{ if and .Values.name (not .Values.empty) }}ok{{ end }}', ctx), 'ok');
  assert.equal(renderTemplate('{{ or .Values.empty .Values.name }}', ctx), 'x');
  assert.equal(renderTemplate('m:{{ toYaml .Values.map | nindent 2 }}', ctx), 'm:\n  a: 1\n  b: 2');
  assert.equal(renderTemplate('{{ toJson .Values.map }}', ctx), '{"a":1,"b":2}');
  assert.throws(() => renderTemplate('{{ required "set it" .Values.empty }}', ctx), /required: set it/);
});

test('anything outside the subset fails loudly instead of rendering wrongly', () => {
  assert.throws(() => renderTemplate('{{ include "x" . }}', ctx), /unsupported function "include"/);
  assert.throws(() => renderTemplate('{{ $x := 1 }}', ctx), /unsupported/);
  assert.throws(() => renderTemplate('{{ if .Values.name }}x', ctx), /missing \{\{ end \}\}/);
  assert.throws(() => renderTemplate('{{ .Values.map }}', ctx), /cannot print an object/);
});
