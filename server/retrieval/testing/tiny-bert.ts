import fs from 'node:fs/promises';
import path from 'node:path';
import { onnx } from 'onnx-proto';

/**
 * Writes a tiny BERT-shaped sentence encoder in the Hugging Face layout transformers.js loads
 * (config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx), for tests without a hub.
 * Graph: word + token-type embeddings (Gather), masked by attention_mask, one dense layer (MatMul, Tanh)
 * → last_hidden_state [batch, sequence, hidden]. Weights are seeded pseudo-random: different words
 * give different vectors, the same text always the same.
 */
export async function writeTinyBert(modelsDir: string, name: string, hidden = 16): Promise<string> {
  const dir = path.join(modelsDir, name);
  await fs.mkdir(path.join(dir, 'onnx'), { recursive: true });
  const vocab = tinyVocab();
  await fs.writeFile(path.join(dir, 'onnx', 'model.onnx'), encodeModel(vocab.length, hidden));
  await fs.writeFile(path.join(dir, 'tokenizer.json'), JSON.stringify(tokenizerJson(vocab)));
  await fs.writeFile(
    path.join(dir, 'tokenizer_config.json'),
    JSON.stringify({
      tokenizer_class: 'BertTokenizer',
      do_lower_case: true,
      model_max_length: 128,
      cls_token: '[CLS]',
      sep_token: '[SEP]',
      pad_token: '[PAD]',
      unk_token: '[UNK]',
      mask_token: '[MASK]',
    }),
  );
  await fs.writeFile(
    path.join(dir, 'config.json'),
    JSON.stringify({
      model_type: 'bert',
      architectures: ['BertModel'],
      hidden_size: hidden,
      vocab_size: vocab.length,
      num_hidden_layers: 1,
      num_attention_heads: 1,
      max_position_embeddings: 128,
      type_vocab_size: 2,
    }),
  );
  return dir;
}

const SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
const WORDS = `the a to of and in is it you for on my can do how what when where order orders ship shipping delivery deliver
  return returns refund pay payment card paypal account password email store open hours sunday price cheap gift wrap
  track parcel package cancel size colour exchange free cost days week`.split(/\s+/);

function tinyVocab(): string[] {
  const letters = 'abcdefghijklmnopqrstuvwxyz0123456789'.split('');
  const punctuation = '.,?!\'"-:;()$%&/'.split('');
  return [...SPECIALS, ...WORDS, ...letters, ...letters.map((l) => `##${l}`), ...punctuation];
}

function tokenizerJson(vocab: string[]) {
  const id = (token: string) => vocab.indexOf(token);
  const special = (token: string) => ({
    id: id(token),
    content: token,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  const cls = { SpecialToken: { id: '[CLS]', type_id: 0 } };
  const sep = (typeId: number) => ({ SpecialToken: { id: '[SEP]', type_id: typeId } });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIALS.map(special),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [cls, { Sequence: { id: 'A', type_id: 0 } }, sep(0)],
      pair: [cls, { Sequence: { id: 'A', type_id: 0 } }, sep(0), { Sequence: { id: 'B', type_id: 1 } }, sep(1)],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [id('[CLS]')], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [id('[SEP]')], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocab.map((token, i) => [token, i])),
    },
  };
}

function encodeModel(vocabSize: number, hidden: number): Uint8Array {
  const random = seeded(42);
  const weights = (name: string, dims: number[]) =>
    onnx.TensorProto.create({
      name,
      dims,
      dataType: onnx.TensorProto.DataType.FLOAT,
      floatData: Array.from({ length: dims.reduce((a, b) => a * b) }, () => random() * 2 - 1),
    });
  const int64Tensor = (name: string, values: number[]) =>
    onnx.TensorProto.create({ name, dims: [values.length], dataType: onnx.TensorProto.DataType.INT64, int64Data: values });
  const tokens = (name: string) => valueInfo(name, onnx.TensorProto.DataType.INT64, ['batch', 'sequence']);
  const node = (opType: string, input: string[], output: string[], attribute: onnx.IAttributeProto[] = []) =>
    onnx.NodeProto.create({ opType, input, output, name: output[0], attribute });

  const graph = onnx.GraphProto.create({
    name: 'tiny_bert',
    input: [tokens('input_ids'), tokens('attention_mask'), tokens('token_type_ids')],
    output: [valueInfo('last_hidden_state', onnx.TensorProto.DataType.FLOAT, ['batch', 'sequence', hidden])],
    initializer: [
      weights('word_embeddings', [vocabSize, hidden]),
      weights('token_type_embeddings', [2, hidden]),
      weights('dense', [hidden, hidden]),
      int64Tensor('last_axis', [2]),
    ],
    node: [
      node('Gather', ['word_embeddings', 'input_ids'], ['words']),
      node('Gather', ['token_type_embeddings', 'token_type_ids'], ['types']),
      node('Add', ['words', 'types'], ['embedded']),
      node(
        'Cast',
        ['attention_mask'],
        ['mask_float'],
        [onnx.AttributeProto.create({ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: onnx.TensorProto.DataType.FLOAT })],
      ),
      node('Unsqueeze', ['mask_float', 'last_axis'], ['mask']),
      node('Mul', ['embedded', 'mask'], ['masked']),
      node('MatMul', ['masked', 'dense'], ['projected']),
      node('Tanh', ['projected'], ['last_hidden_state']),
    ],
  });
  const model = onnx.ModelProto.create({
    irVersion: 7,
    producerName: 'nova-chat-tests',
    opsetImport: [{ domain: '', version: 13 }],
    graph,
  });
  return onnx.ModelProto.encode(model).finish();
}

function valueInfo(name: string, elemType: number, dims: (string | number)[]) {
  return onnx.ValueInfoProto.create({
    name,
    type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } },
  });
}

/** Deterministic weights (mulberry32). */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
